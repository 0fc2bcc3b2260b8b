"""State: SQLite persistence across restarts, reset, and concurrent writers."""

from __future__ import annotations

import copy
import re
import sqlite3
import string
import threading
from pathlib import Path
from typing import Any

from emu_support import FULL_FEATURES, make_client

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.emulator.backend import random_id
from pulumi_stripe_portal.emulator.store import Store, copy_json


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


def test_an_update_keeps_the_list_order(tmp_path: Path) -> None:
    """put() is one upsert: an existing id keeps its sequence, a new one goes last."""
    store = Store(str(tmp_path / "state.sqlite"))
    for id_ in ("a", "b", "c"):
        store.put("platform", False, {"id": id_, "n": 0})
    store.put("platform", False, {"id": "a", "n": 1})
    assert [o["id"] for o in store.all("platform", False)] == ["c", "b", "a"]
    assert store.get("platform", False, "a") == {"id": "a", "n": 1}
    assert not store.empty("platform", False) and store.empty("platform", True)
    store.put_object("price", "platform", False, {"id": "p1"})
    store.put_object("price", "platform", False, {"id": "p2"})
    store.put_object("price", "platform", False, {"id": "p1", "x": 1})
    assert store.all_objects("price", "platform", False) == [{"id": "p2"}, {"id": "p1", "x": 1}]
    store.close()


def test_an_older_state_file_gets_the_seq_indexes(tmp_path: Path) -> None:
    """A state file written before the indexes existed is opened, indexed and appended to."""
    path = str(tmp_path / "old.sqlite")
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE configurations (account TEXT NOT NULL, livemode INTEGER NOT NULL,"
        " id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,"
        " PRIMARY KEY (account, livemode, id));"
        "INSERT INTO configurations VALUES ('platform', 0, 'old', 7, '{\"id\": \"old\"}');"
    )
    db.commit()
    db.close()
    store = Store(path)
    store.put("platform", False, {"id": "new"})
    assert [o["id"] for o in store.all("platform", False)] == ["new", "old"]
    names = {r[0] for r in store._db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"configurations_seq", "objects_seq"} <= names
    store.close()


def test_copy_json_is_a_deep_copy() -> None:
    body = {"a": [{"b": 1}, "s", None], "c": {"d": {"e": True}}}
    out = copy_json(body)
    assert out == body == copy.deepcopy(body)
    out["a"][0]["b"] = 2
    out["c"]["d"]["e"] = False
    assert body == {"a": [{"b": 1}, "s", None], "c": {"d": {"e": True}}}


def test_random_ids_have_stripes_alphabet_and_length() -> None:
    ids = [random_id("bpc_") for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"bpc_[A-Za-z0-9]{24}", i) for i in ids)
    assert re.fullmatch(r"x[A-Za-z0-9]{14}", random_id("x", 14))
    assert set("".join(i[4:] for i in ids)) == set(string.ascii_letters + string.digits)
