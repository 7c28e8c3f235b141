"""User methods of OrderService: one user per person, one identity per (provider, external id)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import InvalidRequest
from core.orders.base import ServiceBase
from core.orders.schemas import UserView
from core.orders.tables import Identity, User
from core.orders.views import user_view

PROVIDERS = ("telegram", "discord", "web")


class UserMethods(ServiceBase):
    def create_user(self, *, display_name: str = "") -> UserView:
        """A new user with no identity yet (link one with `link_identity`)."""
        with self.db.session() as session:
            user = User(display_name=display_name[:200])
            session.add(user)
            session.flush()
            return user_view(user)

    def get_or_create_user(
        self, *, provider: str, external_id: str, display_name: str = ""
    ) -> UserView:
        """The user behind a Telegram/Discord id or web email, created on first contact.

        Safe under races: two first messages at once still make one user (unique identity).
        """
        _check_provider(provider, external_id)
        try:
            with self.db.session() as session:
                found = self._find(session, provider, external_id)
                if found is not None:
                    return user_view(found)
                user = User(display_name=display_name[:200])
                session.add(user)
                session.flush()
                session.add(Identity(user_id=user.id, provider=provider, external_id=external_id))
                session.flush()
                return user_view(user)
        except IntegrityError:  # another request created it between our read and insert
            return self._get_by_identity(provider, external_id)

    def link_identity(self, *, user_id: str, provider: str, external_id: str) -> UserView:
        """Attach another provider's id to an existing user (e.g. web email to a Telegram user)."""
        _check_provider(provider, external_id)
        with self.db.session() as session:
            user = self._user_row(session, user_id)
            existing = self._find(session, provider, external_id)
            if existing is not None and existing.id != user_id:
                raise InvalidRequest(
                    "That account is already linked to another user.", code="identity_taken"
                )
            if existing is None:
                session.add(Identity(user_id=user_id, provider=provider, external_id=external_id))
            return user_view(user)

    def get_user(self, *, user_id: str) -> UserView:
        with self.db.session() as session:
            return user_view(self._user_row(session, user_id))

    def external_id_of(self, *, user_id: str, provider: str) -> str | None:
        """The user's id at `provider` (e.g. the Telegram user id, which is also their private
        chat id); None when the user has no identity there. The oldest wins if several exist."""
        stmt = (
            select(Identity.external_id)
            .where(Identity.user_id == user_id, Identity.provider == provider)
            .order_by(Identity.id)
            .limit(1)
        )
        with self.db.session() as session:
            return session.scalars(stmt).first()

    def _get_by_identity(self, provider: str, external_id: str) -> UserView:
        with self.db.session() as session:
            found = self._find(session, provider, external_id)
            assert found is not None, "identity vanished after a unique-constraint conflict"
            return user_view(found)

    @staticmethod
    def _find(session: Session, provider: str, external_id: str) -> User | None:
        stmt = (
            select(User)
            .join(Identity, Identity.user_id == User.id)
            .where(Identity.provider == provider, Identity.external_id == external_id)
        )
        return session.scalars(stmt).one_or_none()


def _check_provider(provider: str, external_id: str) -> None:
    if provider not in PROVIDERS:
        raise InvalidRequest(f"Unknown provider {provider!r}.", code="bad_provider")
    if not external_id or len(external_id) > 255:
        raise InvalidRequest("An account id is required (at most 255 characters).")
