"""Hostile input: a generated corpus of invalid declarations is rejected at ``check``.

The corpus is generated from the models, not from a hand list: walking ``tree.root()``
reaches every position of the writable tree, and the pydantic annotation at that position
says what type and limits it has. Each target (a position and a kind of mistake) gets its
values from hypothesis, applied to ``samples.full()`` (a declaration with every field set):

- wrong types at every leaf, list and object;
- unknown keys in every object (the root, every block, every item of an object list);
- out-of-range numbers (below a ``ge`` bound, a pause over three years);
- bad enum values at every literal, list items included;
- oversized strings, lists and maps (the ``max_length`` bounds and metadata limits);
- broken cross-field rules (``rules.cross_field_failures``).

Each declaration goes through the provider as the engine runs it: pickled, unpickled and
configured against the emulator, inputs through a protobuf Struct round trip (numbers become
floats), ``check`` called, its answer serialized back. Every one must be rejected with a
dotted path at or above the mutated place, a one-line reason, no exception, and the
emulator must see no request at all.
"""

from __future__ import annotations

import asyncio
import json
import string
import types
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pytest
from annotated_types import Ge, MaxLen, MinLen
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi.runtime import rpc
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from pulumi_stripe_portal.emulator import Emulator
from pulumi_stripe_portal.lifecycle import validation
from pulumi_stripe_portal.schema import models, rules
from pulumi_stripe_portal.schema.tree import Node, root

from support.driver import PROVIDER_KEY, Driver
from support.samples import full

Path = tuple[str | int, ...]
EXAMPLES_PER_TARGET = 25
# The same examples every run, for each target.
EXAMPLES = settings(
    max_examples=EXAMPLES_PER_TARGET,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


# facts about one position, read from the pydantic annotation --------------------------------


@dataclass
class Facts:
    """The Python type at a position (bool, str, int, literal, list, map, object) and bounds."""

    kind: str
    choices: tuple[Any, ...] = ()
    max_len: int | None = None
    min_len: int | None = None
    ge: int | None = None
    pattern: str | None = None
    model: type[BaseModel] | None = None
    item: Any = None  # the item annotation of a list


def _constraints(items: list[Any], facts: Facts) -> None:
    for meta in items:
        if isinstance(meta, FieldInfo):
            _constraints(list(meta.metadata), facts)
        elif isinstance(meta, MaxLen):
            facts.max_len = meta.max_length
        elif isinstance(meta, MinLen):
            facts.min_len = meta.min_length
        elif isinstance(meta, Ge):
            facts.ge = int(meta.ge)
        elif getattr(meta, "pattern", None):
            facts.pattern = meta.pattern


def facts_of(annotation: Any, metadata: list[Any] | tuple[Any, ...] = ()) -> Facts:
    collected: list[Any] = list(metadata)
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            args = get_args(annotation)
            collected.extend(args[1:])
            annotation = args[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            break
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        facts = Facts("object", model=annotation)
    elif origin is list:
        facts = Facts("list", item=get_args(annotation)[0])
    elif origin is dict:
        facts = Facts("map")
    elif origin is Literal:
        facts = Facts("literal", choices=get_args(annotation))
    else:
        facts = Facts({bool: "bool", str: "str", int: "int"}[annotation])
    _constraints(collected, facts)
    return facts


def facts_at(path: Path) -> Facts:
    facts = Facts("object", model=models.PortalConfigurationSpec)
    string_limit = None  # a model-wide bound (``str_max_length``) of the innermost model
    for part in path:
        if facts.model is not None:
            string_limit = facts.model.model_config.get("str_max_length")
        if isinstance(part, int):
            facts = facts_of(facts.item)
        else:
            assert facts.model is not None, path
            info = facts.model.model_fields[part]
            facts = facts_of(info.annotation, info.metadata)
    if facts.kind == "str" and facts.max_len is None:
        facts.max_len = string_limit
    return facts


def positions(node: Node, path: Path = ()) -> list[tuple[Path, Node]]:
    """Every position under ``node``: object fields, list items (as index 0), map values."""
    out = [(path, node)]
    if node.kind == "object":
        for name, child in node.fields.items():
            out += positions(child, (*path, name))
    elif node.kind == "list" and node.item is not None:
        out += positions(node.item, (*path, 0))
    return out


# the corpus -------------------------------------------------------------------------------


@dataclass
class Target:
    """One kind of mistake at one place: ``build`` draws a whole invalid declaration."""

    category: str
    path: Path
    build: st.SearchStrategy[dict[str, Any]]
    expected: tuple[str, ...] = field(default=())  # failure paths, when not ``path`` itself


def dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def put(declaration: dict[str, Any], path: Path, value: Any) -> dict[str, Any]:
    """``declaration`` with ``value`` at ``path``.

    The parent must exist in the sample, except a list (new lists are created empty): a
    missing object would bring its own failures for its required fields.
    """
    parent: Any = declaration
    for index, part in enumerate(path[:-1]):
        if isinstance(parent, dict) and part not in parent and isinstance(path[index + 1], int):
            parent[part] = []
        try:
            parent = parent[part]
        except (KeyError, IndexError):
            pytest.fail(f"samples.FULL has nothing at {dotted(path[:-1])}: add a valid value")
    if isinstance(parent, list) and path[-1] == len(parent):
        parent.append(value)
    else:
        parent[path[-1]] = value
    return declaration


def mutate(path: Path, values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return values.map(lambda v: put(full(), path, v))


# "" and None mean "not declared" to Stripe (and to check), so they are never a mistake.
_text = st.text(min_size=1, max_size=40)
_letters = st.text(string.ascii_letters, min_size=1, max_size=20)
_numbers = st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=False, width=32))
_lists = st.lists(st.one_of(st.integers(), _letters), min_size=1, max_size=3)
_dicts = st.dictionaries(_letters, st.one_of(st.integers(), _letters), min_size=1, max_size=3)
_long_lists = st.integers(50, 2000).map(lambda n: ["item"] * n)
_bad_int_numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(
        lambda f: not (f == f and abs(f) != float("inf") and f.is_integer())
    ),
)


def wrong_types(facts: Facts) -> st.SearchStrategy[Any]:
    """Values of any type the position does not take (JSON values, as the engine carries)."""
    if facts.kind == "object":
        return st.one_of(st.booleans(), _numbers, _text, _lists)
    if facts.kind == "list":
        return st.one_of(st.booleans(), _numbers, _text, _dicts)
    if facts.kind == "map":
        return st.one_of(st.booleans(), _numbers, _text, _lists)
    if facts.kind == "bool":
        return st.one_of(_numbers, _text, _lists, _dicts, _long_lists)
    if facts.kind in ("str", "literal"):
        return st.one_of(st.booleans(), _numbers, _lists, _dicts)
    if facts.kind == "int":
        # Numeric strings ("3") are accepted like Stripe's form encoding does.
        return st.one_of(st.booleans(), _bad_int_numbers, _letters, _lists, _dicts)
    raise AssertionError(facts.kind)


def bad_enums(choices: tuple[Any, ...]) -> st.SearchStrategy[str]:
    near = st.sampled_from(choices).flatmap(
        lambda c: st.sampled_from([c.upper(), f" {c}", f"{c} ", c.replace("_", "-"), c + "s"])
    )
    long = st.integers(100, 4000).map(lambda n: "z" * n)  # echoed back, it must stay short
    return st.one_of(near, _text, long).filter(lambda v: v not in choices and v.strip() != "")


def unknown_keys(node: Node, at_root: bool) -> st.SearchStrategy[str]:
    long = st.integers(100, 3000).map(lambda n: "k" * n)
    keys = st.one_of(_text, st.sampled_from(sorted(node.fields)).map(lambda k: k + "s"), long)
    # At the root, "__" keys are the engine's and the hidden inputs the resource's own.
    hidden = ("__", *getattr(validation, "HIDDEN_INPUTS", ()))
    return keys.filter(lambda k: k not in node.fields and not (at_root and k.startswith(hidden)))


def oversized(path: Path, facts: Facts) -> st.SearchStrategy[Any] | None:
    limit = facts.max_len
    if limit is None:
        return None
    if facts.kind == "str":
        size = st.integers(limit + 1, limit + 200)
        if facts.pattern and "https?" in facts.pattern:
            return size.map(lambda n: "https://" + "a" * (n - len("https://")))
        return size.map(lambda n: "x" * n)
    if facts.kind == "list":
        item = _sample_item(path)
        key = root_node_at(path).set_like
        key_name = key.key if key else None

        def items(n: int) -> list[Any]:
            out = []
            for index in range(n):
                copy = json.loads(json.dumps(item))
                if key_name:
                    copy[key_name] = f"{copy[key_name]}_{index}"
                out.append(copy)
            return out

        return st.integers(limit + 1, limit + 10).map(items)
    return None


def _sample_item(path: Path) -> Any:
    value: Any = full()
    for part in path:
        value = value[part]
    return value[0]


def root_node_at(path: Path) -> Node:
    node = root()
    for part in path:
        node = node.item if isinstance(part, int) else node.fields[part]
    return node


def metadata_targets() -> list[Target]:
    """The string map's own limits (models.MAX_METADATA_*)."""
    keys = st.text(string.ascii_lowercase, min_size=1, max_size=models.MAX_METADATA_KEY_LENGTH)
    many = st.integers(models.MAX_METADATA_KEYS + 1, models.MAX_METADATA_KEYS + 20).map(
        lambda n: {f"k{i}": "v" for i in range(n)}
    )
    long_key = st.integers(
        models.MAX_METADATA_KEY_LENGTH + 1, models.MAX_METADATA_KEY_LENGTH + 50
    ).map(lambda n: {"k" * n: "v"})
    long_value = st.tuples(keys, st.integers(models.MAX_METADATA_VALUE_LENGTH + 1, 2000)).map(
        lambda kn: {kn[0]: "v" * kn[1]}
    )
    bracket = _letters.map(lambda k: {f"{k}[x]": "v"})
    wrong_value = st.tuples(keys, st.one_of(st.booleans(), _numbers, _lists, _dicts)).map(
        lambda kv: {kv[0]: kv[1]}
    )
    reserved_key = st.text(min_size=1, max_size=20).map(lambda v: {models.OWNER_MARKER: v})
    return [
        Target("bad_key", ("metadata",), mutate(("metadata",), reserved_key)),
        Target("oversized", ("metadata",), mutate(("metadata",), many)),
        Target("oversized", ("metadata",), mutate(("metadata",), long_key)),
        Target("oversized", ("metadata",), mutate(("metadata",), long_value)),
        Target("wrong_type", ("metadata", "*"), mutate(("metadata",), wrong_value)),
        Target("bad_key", ("metadata",), mutate(("metadata",), bracket)),
    ]


def cross_field_targets() -> list[Target]:
    """One target per rule in ``rules.cross_field_failures``, other fields drawn freely."""
    su = ("features", "subscription_update")
    cancel = ("features", "subscription_cancel")
    duration = ("features", "subscription_pause", "duration")

    def without_payment_updates(disabled: bool) -> dict[str, Any]:
        decl = full()
        if disabled:
            decl["features"]["payment_method_update"] = {"enabled": False}
        else:
            del decl["features"]["payment_method_update"]
        return decl

    def no_products(value: Any) -> dict[str, Any]:
        return put(full(), (*su, "products"), value)

    def duplicate(index: int) -> dict[str, Any]:
        decl = full()
        products = decl["features"]["subscription_update"]["products"]
        products.append(json.loads(json.dumps(products[index % len(products)])))
        return decl

    def priceless(index: int) -> dict[str, Any]:
        decl = full()
        product = decl["features"]["subscription_update"]["products"][index]
        for name in ("prices", "lookup_keys"):
            product.pop(name, None)
        return decl

    def min_over_max(pair: tuple[int, int]) -> dict[str, Any]:
        low, high = sorted(pair, reverse=True)
        quantity = {"enabled": True, "minimum": low, "maximum": high}
        return put(full(), (*su, "products", 0, "adjustable_quantity"), quantity)

    def prorations_without_immediately(mode: str | None) -> dict[str, Any]:
        decl = full()
        decl["features"]["subscription_cancel"]["proration_behavior"] = "create_prorations"
        decl["features"]["subscription_cancel"]["mode"] = mode
        return decl

    def duration_of(value: dict[str, Any]) -> dict[str, Any]:
        return put(full(), duration, value)

    def too_long_pause(choice: tuple[str, int]) -> dict[str, Any]:
        unit, extra = choice
        option = {"interval": unit, "interval_count": rules.MAX_PAUSE[unit] + extra}
        return put(full(), (*duration, "interval_options"), [option])

    options = st.lists(
        st.fixed_dictionaries(
            {"interval": st.sampled_from(["day", "week", "month", "year"])},
            optional={"interval_count": st.integers(1, 3)},
        ),
        min_size=1,
        max_size=3,
    )
    return [
        Target(
            "cross_field",
            (*su, "enabled"),
            st.booleans().map(without_payment_updates),
        ),
        Target("cross_field", (*su, "products"), st.sampled_from([[], ""]).map(no_products)),
        Target(
            "cross_field",
            (*su, "products", 2, "product"),
            st.integers(0, 1).map(duplicate),
        ),
        Target(
            "cross_field",
            (*su, "products", 0, "adjustable_quantity", "minimum"),
            st.tuples(st.integers(1, 10**6), st.integers(1, 10**6))
            .filter(lambda p: p[0] != p[1])
            .map(min_over_max),
        ),
        Target(
            "cross_field",
            (*su, "products", 0, "prices"),
            st.just(0).map(priceless),
        ),
        Target(
            "cross_field",
            (*cancel, "proration_behavior"),
            st.sampled_from(["at_period_end", None]).map(prorations_without_immediately),
        ),
        Target(
            "cross_field",
            (*duration, "interval_options"),
            st.sampled_from(
                [{"type": "interval_options"}, {"type": "interval_options", "interval_options": []}]
            ).map(duration_of),
        ),
        Target(
            "cross_field",
            (*duration, "interval_options"),
            options.map(lambda o: duration_of({"type": "indefinite", "interval_options": o})),
        ),
        Target(
            "out_of_range",
            (*duration, "interval_options", 0, "interval_count"),
            st.tuples(st.sampled_from(sorted(rules.MAX_PAUSE)), st.integers(1, 10**6)).map(
                too_long_pause
            ),
        ),
    ]


def corpus_targets() -> list[Target]:
    targets: list[Target] = []
    for path, node in positions(root()):
        facts = facts_at(path)
        if path:
            targets.append(Target("wrong_type", path, mutate(path, wrong_types(facts))))
        if node.kind == "object":
            keys = unknown_keys(node, at_root=not path)

            def with_key(kv: tuple[str, Any], path: Path = path) -> dict[str, Any]:
                return put(full(), (*path, kv[0]), kv[1])

            values = st.one_of(st.booleans(), _numbers, _text, _lists, _dicts)
            targets.append(
                Target(
                    "unknown_key",
                    (*path, "*"),
                    st.tuples(keys, values).map(with_key),
                )
            )
        if facts.kind == "literal":
            targets.append(Target("bad_enum", path, mutate(path, bad_enums(facts.choices))))
        if facts.kind == "int" and facts.ge is not None:
            below = st.integers(-(10**9), facts.ge - 1)
            targets.append(Target("out_of_range", path, mutate(path, below)))
        big = oversized(path, facts)
        if big is not None:
            targets.append(Target("oversized", path, mutate(path, big)))
    return targets + metadata_targets() + cross_field_targets()


# the engine's side of check ---------------------------------------------------------------


@pytest.fixture(scope="module")
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for the SDK's (async) property serialization."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def through_engine(loop: asyncio.AbstractEventLoop, props: dict[str, Any]) -> dict[str, Any]:
    """What the provider process receives: the Struct the engine sends, deserialized."""
    struct = loop.run_until_complete(rpc.serialize_properties(props, {}))
    return rpc.deserialize_properties(struct, True)


def send_back(loop: asyncio.AbstractEventLoop, inputs: dict[str, Any]) -> None:
    """The provider server serializes check's inputs back to the engine: must not fail."""
    loop.run_until_complete(rpc.serialize_properties(inputs, {}))


def at_or_above(failure: str, mutated: str) -> bool:
    """Whether the failure's path is the mutated place or one of its ancestors."""
    if mutated.endswith("*"):  # an unknown key: its own path, or the object holding it
        holder = mutated[:-1]
        return failure.startswith(holder) or failure == holder.rstrip(".")
    return failure == mutated or mutated.startswith((failure + ".", failure + "["))


@dataclass
class Tally:
    seen: set[str] = field(default_factory=set)
    per_category: Counter[str] = field(default_factory=Counter)
    checked: int = 0
    rejected: int = 0
    with_path: int = 0
    raised: int = 0


def run_target(
    loop: asyncio.AbstractEventLoop, driver: Driver, target: Target, tally: Tally
) -> None:
    expected = dotted(target.path)

    @EXAMPLES
    @given(target.build)
    def one(declaration: dict[str, Any]) -> None:
        news = through_engine(loop, {**declaration, PROVIDER_KEY: "p"})
        tally.checked += 1
        tally.seen.add(json.dumps(declaration, sort_keys=True, default=repr))
        tally.per_category[target.category] += 1
        try:
            result = driver.provider.check({}, news)
            send_back(loop, {**result.inputs, PROVIDER_KEY: "p"})
        except Exception:
            tally.raised += 1
            raise
        failures = [(f.property, f.reason) for f in result.failures]
        assert failures, f"{target.category} at {expected} was accepted: {declaration}"
        tally.rejected += 1
        for prop, reason in failures:
            assert isinstance(prop, str) and prop, failures
            assert at_or_above(prop, expected), (target.category, expected, failures)
            assert reason and "\n" not in reason and "Traceback" not in reason, reason
            assert len(reason) <= 400, (prop, reason[:200])
        tally.with_path += 1

    one()


def test_generated_hostile_corpus_is_rejected_at_check(
    emu: Emulator, loop: asyncio.AbstractEventLoop, capsys: pytest.CaptureFixture[str]
) -> None:
    driver = Driver({"stripe:apiKey": "sk_test_hostile0123456789", "stripe:apiBase": emu.url})
    targets = corpus_targets()
    leaves = [p for p, n in positions(root()) if n.kind != "object"]
    covered = {t.path for t in targets if t.category == "wrong_type"}
    assert set(leaves) <= covered  # every leaf has a wrong-type target
    objects = [p for p, n in positions(root()) if n.kind == "object"]
    assert {(*p, "*") for p in objects} <= {t.path for t in targets}

    tally = Tally()
    for target in targets:
        run_target(loop, driver, target, tally)

    assert emu.request_count == 0
    assert tally.raised == 0
    assert tally.rejected == tally.checked == tally.with_path
    categories = {"wrong_type", "unknown_key", "out_of_range", "bad_enum", "oversized"}
    assert categories | {"cross_field"} <= set(tally.per_category)
    line = (
        f"hostile corpus: {len(tally.seen)} distinct declarations ({tally.checked} checks, "
        f"{len(targets)} targets over {len(leaves)} leaves and {len(objects)} objects; "
        + ", ".join(f"{k} {v}" for k, v in sorted(tally.per_category.items()))
        + f"): rejected {tally.rejected}/{tally.checked}, with a path "
        f"{tally.with_path}/{tally.checked}, exceptions {tally.raised}, "
        f"requests {emu.request_count}"
    )
    with capsys.disabled():
        print("\n" + line)


def test_the_generated_validator_refuses_what_the_models_refuse(
    loop: asyncio.AbstractEventLoop,
) -> None:
    """check validates with the schema generated from the models (lifecycle/validation.py):
    on every declaration of the corpus, as the engine sends it, it gives the models' verdict
    (cross-field breaks, which both accept and rules.py refuses, with the same tree)."""
    verdicts: Counter[str] = Counter()
    for target in corpus_targets():

        @EXAMPLES
        @given(target.build)
        def one(declaration: dict[str, Any]) -> None:
            known = through_engine(loop, declaration)
            try:
                expected = models.PortalConfigurationSpec.model_validate(known)
            except ValidationError:
                assert validation._normalized(known) is None, declaration
                verdicts["refused"] += 1
                return
            assert validation._normalized(known) == expected.model_dump(exclude_none=True)
            verdicts["accepted"] += 1

        one()
    assert verdicts["refused"] > 2000 and verdicts["accepted"] > 0, verdicts
