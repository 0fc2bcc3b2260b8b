"""The dynamic provider the engine runs: the class a program pickles into its state.

It pickles as its class's name alone and holds nothing at program time, so no key can be
frozen into the state. It imports nothing heavy either: every engine call goes to one
``PortalOperations`` (operations.py) per provider process, built on the first call, so a
program that declares portals never loads the models or the stripe SDK it does not use.

The SDK sends the engine the whole traceback of whatever a method raises, and the engine
prints it under the one-line error operations.py has already logged. For a
``PortalApiError`` (an error the user must act on) each method re-raises it with its
traceback cleared, so that the user's terminal shows no frame of ours past the method
itself. Any other exception keeps its whole traceback: that one is ours to debug.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from .stripe_api.settings import (
    PortalApiError,  # no stripe SDK: settings.py imports only the stdlib
)

if TYPE_CHECKING:
    from .lifecycle.operations import PortalOperations


class PortalConfigurationProvider(ResourceProvider):
    """Manages one ``billing_portal.configuration`` per resource."""

    # The pickle is the class's name and nothing else, so it holds no secret: the SDK may
    # store it in plain text (it still makes it secret if a secret Output were captured).
    # Encrypting it would cost every resource a ciphertext twice in the state, and the
    # engine a decryption per resource per command.
    serialize_as_secret_always = False

    def __init__(self) -> None:
        super().__init__()

    def __reduce__(self) -> tuple[type[PortalConfigurationProvider], tuple[()]]:
        """Pickles as the bare class: nothing held at program time or after configure() can
        enter the state. No state dict either: the SDK's pickler wraps its dict writer once
        per resource and never unwraps it, so a pickled dict costs every further resource
        one more frame (a RecursionError near the 1,000th)."""
        return (PortalConfigurationProvider, ())

    @property
    def operations(self) -> PortalOperations:
        """This process's behaviour and client, made on the first engine call."""
        found = self.__dict__.get("_operations")
        if found is None:
            from .lifecycle.operations import PortalOperations

            found = self.__dict__.setdefault("_operations", PortalOperations())
        return found

    def configure(self, req: ConfigureRequest) -> None:
        try:
            self.operations.configure(req.config.get)
        except PortalApiError as exc:
            raise exc.with_traceback(None) from None

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        try:
            return self.operations.check(olds, news)
        except PortalApiError as exc:
            raise exc.with_traceback(None) from None

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        try:
            return self.operations.diff(id_, olds, news)
        except PortalApiError as exc:
            raise exc.with_traceback(None) from None

    def create(self, props: dict[str, Any]) -> CreateResult:
        try:
            return self.operations.create(props)
        except PortalApiError as exc:
            raise exc.with_traceback(None) from None

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        try:
            return self.operations.read(id_, props)
        except PortalApiError as exc:
            raise exc.with_traceback(None) from None

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        try:
            return self.operations.update(id_, olds, news)
        except PortalApiError as exc:
            raise exc.with_traceback(None) from None

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            self.operations.delete(id_, props)
        except PortalApiError as exc:
            raise exc.with_traceback(None) from None
