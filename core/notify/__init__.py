"""Telling buyers what happened to their order: notices, and the notifiers per chat channel.

`notices` holds the notice kinds, their texts and the `Notifiers` registry; `chat` the base of the
HTTP notifiers that `telegram` and `discord` implement. They are built in one place,
`runtime.notifiers_for`, so web, worker and CLI processes tell chat buyers the same things.
"""

from core.notify.notices import NOTICE_TEXT, Notice, NoticeKind, Notifier, Notifiers

__all__ = ["NOTICE_TEXT", "Notice", "NoticeKind", "Notifier", "Notifiers"]
