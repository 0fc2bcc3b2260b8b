"""One position in the declaration tree: the shape both tree.py (from the models) and the
generated shape.py build, kept apart so that neither needs the other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from .marks import SetLike, StripeDefault, Unset

if TYPE_CHECKING:
    from pydantic import BaseModel


@dataclass
class Node:
    """One position in the tree: an object, a list, a string map or a scalar."""

    kind: Literal["object", "list", "map", "scalar"]
    fields: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    item: Node | None = None
    set_like: SetLike | None = None
    choices: tuple[Any, ...] = ()
    default: StripeDefault | None = None
    unset: Unset | None = None
    type: Any = None  # a scalar's Python type (bool, int, str, Literal[...])
    model: type[BaseModel] | None = None  # an object's model class (its types are named so)
