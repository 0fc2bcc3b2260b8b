"""Persistence of configurations, catalogue objects and idempotency records in SQLite
(``:memory:`` by default).

One code path for both modes: memory state is an in-memory SQLite database, so a test of the
default mode also exercises what ``--state FILE`` does. Every request's writes run in one
transaction (``transaction()`` nests by joining the outer one). The caller serialises access
(backend.Backend holds one lock). Not emulated: idempotency keys expiring after 24 hours;
several processes sharing one state file.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS configurations (
    account TEXT NOT NULL, livemode INTEGER NOT NULL, id TEXT NOT NULL,
    seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (account, livemode, id));
CREATE TABLE IF NOT EXISTS idempotency (
    account TEXT NOT NULL, livemode INTEGER NOT NULL, key TEXT NOT NULL,
    endpoint TEXT NOT NULL, fingerprint TEXT NOT NULL, request_id TEXT NOT NULL,
    body TEXT NOT NULL, PRIMARY KEY (account, livemode, key));
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL, account TEXT NOT NULL, livemode INTEGER NOT NULL, id TEXT NOT NULL,
    seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (kind, account, livemode, id));
CREATE INDEX IF NOT EXISTS configurations_seq ON configurations (seq);
CREATE INDEX IF NOT EXISTS objects_seq ON objects (seq);
"""


def copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars): what ``copy.deepcopy`` gives for the
    stored bodies, at a fifth of its cost (no memo, no dispatch per value)."""
    if type(value) is dict:
        return {k: copy_json(v) for k, v in value.items()}
    if type(value) is list:
        return [copy_json(v) for v in value]
    return value


@dataclass(frozen=True)
class IdempotencyRecord:
    """The first successful answer given for one idempotency key."""

    endpoint: str
    fingerprint: str
    request_id: str
    body: dict[str, Any]


class Store:
    """Configurations keyed by (account, livemode, id), ordered by insertion sequence."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._db = sqlite3.connect(
            path or ":memory:", isolation_level=None, check_same_thread=False
        )
        self._db.executescript(_SCHEMA)
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Atomic unit of work; an inner call joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")
        finally:
            self._depth = 0

    def get(self, account: str, livemode: bool, id_: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT body FROM configurations WHERE account=? AND livemode=? AND id=?",
            (account, livemode, id_),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def all(self, account: str, livemode: bool) -> list[dict[str, Any]]:
        """Newest first, like Stripe's lists."""
        rows = self._db.execute(
            "SELECT body FROM configurations WHERE account=? AND livemode=? ORDER BY seq DESC",
            (account, livemode),
        )
        return [json.loads(r[0]) for r in rows]

    def count(self, account: str, livemode: bool) -> int:
        sql = "SELECT COUNT(*) FROM configurations WHERE account=? AND livemode=?"
        return int(self._db.execute(sql, (account, livemode)).fetchone()[0])

    def empty(self, account: str, livemode: bool) -> bool:
        """No configuration yet: one index probe, where ``count`` reads them all."""
        sql = "SELECT 1 FROM configurations WHERE account=? AND livemode=? LIMIT 1"
        return self._db.execute(sql, (account, livemode)).fetchone() is None

    def put(self, account: str, livemode: bool, obj: dict[str, Any]) -> None:
        """Insert or replace; the sequence (list order) is fixed at first insert."""
        self._db.execute(
            "INSERT INTO configurations VALUES (?, ?, ?,"
            " (SELECT COALESCE(MAX(seq), 0) + 1 FROM configurations), ?)"
            " ON CONFLICT (account, livemode, id) DO UPDATE SET body=excluded.body",
            (account, livemode, obj["id"], json.dumps(obj, sort_keys=True)),
        )

    # other resources (catalog.py: products, prices), one table keyed by kind ----------

    def get_object(
        self, kind: str, account: str, livemode: bool, id_: str
    ) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT body FROM objects WHERE kind=? AND account=? AND livemode=? AND id=?",
            (kind, account, livemode, id_),
        ).fetchone()
        return json.loads(row[0]) if row else None

    def all_objects(self, kind: str, account: str, livemode: bool) -> list[dict[str, Any]]:
        """Newest first, like Stripe's lists."""
        rows = self._db.execute(
            "SELECT body FROM objects WHERE kind=? AND account=? AND livemode=? ORDER BY seq DESC",
            (kind, account, livemode),
        )
        return [json.loads(r[0]) for r in rows]

    def put_object(self, kind: str, account: str, livemode: bool, obj: dict[str, Any]) -> None:
        """Insert or replace; the sequence (list order) is fixed at first insert."""
        self._db.execute(
            "INSERT INTO objects VALUES (?, ?, ?, ?,"
            " (SELECT COALESCE(MAX(seq), 0) + 1 FROM objects), ?)"
            " ON CONFLICT (kind, account, livemode, id) DO UPDATE SET body=excluded.body",
            (kind, account, livemode, obj["id"], json.dumps(obj, sort_keys=True)),
        )

    def get_idempotency(self, account: str, livemode: bool, key: str) -> IdempotencyRecord | None:
        row = self._db.execute(
            "SELECT endpoint, fingerprint, request_id, body FROM idempotency"
            " WHERE account=? AND livemode=? AND key=?",
            (account, livemode, key),
        ).fetchone()
        if row is None:
            return None
        return IdempotencyRecord(row[0], row[1], row[2], json.loads(row[3]))

    def put_idempotency(
        self, account: str, livemode: bool, key: str, record: IdempotencyRecord
    ) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO idempotency VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    account,
                    livemode,
                    key,
                    record.endpoint,
                    record.fingerprint,
                    record.request_id,
                    json.dumps(record.body),
                ),
            )

    def clear(self) -> None:
        with self.transaction():
            self._db.execute("DELETE FROM configurations")
            self._db.execute("DELETE FROM idempotency")
            self._db.execute("DELETE FROM objects")

    def close(self) -> None:
        self._db.close()
