"""State: SQLite persistence across restarts, reset, and concurrent writers."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from emu_support import FULL_FEATURES, make_client

from pulumi_stripe_portal.emulator import Emulator


def test_state_file_survives_a_restart(tmp_path: Path) -> None:
    state = str(tmp_path / "state.sqlite")
    with Emulator(state_file=state, first_is_default=True) as emu:
        configs = make_client(emu).v1.billing_portal.configurations
        cfg = configs.create(
            params={"features": FULL_FEATURES, "metadata": {"k": "v"}},
            options={"idempotency_key": "persisted"},
        )
        older = configs.create(params={"features": FULL_FEATURES})
    with Emulator(state_file=state) as emu:
        configs = make_client(emu).v1.billing_portal.configurations
        again = configs.retrieve(cfg.id)
        assert again.to_dict() == cfg.to_dict()
        assert [c.id for c in configs.list().data] == [older.id, cfg.id]
        replay = configs.create(
            params={"features": FULL_FEATURES, "metadata": {"k": "v"}},
            options={"idempotency_key": "persisted"},
        )
        assert replay.id == cfg.id


def test_reset_forgets_everything(emu: Emulator, configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES})
    emu.reset()
    assert configs.list().data == []
    assert cfg.id not in {c.id for c in configs.list().data}


def test_parallel_creates_lose_nothing(emu: Emulator) -> None:
    ids: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        configs = make_client(emu).v1.billing_portal.configurations
        try:
            for i in range(10):
                cfg = configs.create(params={"features": FULL_FEATURES, "name": f"{n}-{i}"})
                with lock:
                    ids.append(cfg.id)
        except BaseException as e:  # noqa: BLE001 - surfaced below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors
    assert len(ids) == len(set(ids)) == 80
    configs = make_client(emu).v1.billing_portal.configurations
    listed = [c for c in configs.list(params={"limit": 100}).auto_paging_iter()]
    assert sorted(c.id for c in listed) == sorted(ids)
    assert sorted(c.name for c in listed) == sorted(f"{n}-{i}" for n in range(8) for i in range(10))


def test_parallel_updates_all_apply(emu: Emulator, configs: Any) -> None:
    cfg = configs.create(params={"features": FULL_FEATURES})

    def worker(n: int) -> None:
        mine = make_client(emu).v1.billing_portal.configurations
        for i in range(5):
            mine.update(cfg.id, params={"metadata": {f"k{n}_{i}": "v"}})

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    final = configs.retrieve(cfg.id)
    assert len(final.metadata.to_dict()) == 30
    assert final.updated >= cfg.updated + 30
