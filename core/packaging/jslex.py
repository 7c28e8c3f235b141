"""A small JavaScript lexer for the bundler: where comments, strings, templates and regexes are.

Enough to tell code from text, never a parser: the bundler looks for `import`/`export` only in code,
and the compactor only drops comments and squeezes whitespace that lies in code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import PetPixelError

# After these a `/` starts a regular expression, not a division (`return /x/.test(s)`).
_REGEX_AFTER_WORDS = frozenset(
    {"return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do"}
    | {"else", "yield", "await"}
)
_WORD = re.compile(r"[A-Za-z_$\u0080-\uffff][\w$\u0080-\uffff]*")
_NUMBER = re.compile(r"\.?\d[\w.]*")
_SPACES = re.compile(r"[ \t\f\v\r\u00a0\ufeff]+")
_LINE_BREAKS = re.compile(r" ?\n[\n ]*")
_BLANK = re.compile(r"([^\n]) (?=([^\n]))")  # one space between two characters, in code
# Punctuators a space around which carries no meaning (`a = b` is `a=b`). Not `+ - / .`: `a + +b`,
# `a / /re/` and `1 .toFixed()` need theirs.
_TIGHT = frozenset("{}()[];,:=<>!?&|*%^~")
# A blank between a literal and a punctuator, at the edges of the code between literals.
_EDGE_BLANK = re.compile(r"(?<=[{}()\[\];,:=<>!?&|*%^~]) $|^ (?=[{}()\[\];,:=<>!?&|*%^~])")
# Line breaks that never end a statement by themselves: after `;`, `{` or `,`, and before `}`
# (a semicolon goes in before a `}` with or without one).
_IDLE_BREAK = re.compile(r"(?<=[;{,])\n|\n(?=})")


class LexError(PetPixelError):
    """The source is not JavaScript this lexer can follow (an unterminated string, say)."""


@dataclass(frozen=True)
class Span:
    """A stretch of the source: `code`, or a `comment`, `string`, `template` or `regex` literal."""

    kind: str
    start: int
    end: int


def spans(source: str, path: str = "<js>") -> list[Span]:
    """The source cut into code and literal stretches, in order, covering every character."""
    return _Lexer(source, path).run()


def masked(source: str, found: list[Span], keep: tuple[str, ...] = ()) -> str:
    """The source with every non-code span (but the `keep` kinds) blanked, line breaks kept."""
    out = []
    for span in found:
        text = source[span.start : span.end]
        if span.kind == "code" or span.kind in keep:
            out.append(text)
        else:
            out.append(re.sub(r"[^\n]", " ", text))
    return "".join(out)


def compact(source: str, path: str = "<js>") -> str:
    """Comments gone, blanks squeezed to one and dropped next to punctuators, no indentation.

    Line breaks stay where automatic semicolon insertion might depend on them; literals are copied
    as written.
    """
    out: list[str] = []
    code: list[str] = []

    def flush() -> None:
        text = _LINE_BREAKS.sub("\n", _SPACES.sub(" ", "".join(code)))
        text = _EDGE_BLANK.sub("", _BLANK.sub(_tighten, text))
        out.append(_IDLE_BREAK.sub("", text))
        code.clear()

    for span in spans(source, path):
        text = source[span.start : span.end]
        if span.kind == "code":
            code.append(text)
        elif span.kind == "comment":
            code.append("\n" if "\n" in text or text.startswith("//") else " ")
        else:
            flush()
            out.append(text)
    flush()
    return "".join(out).strip() + "\n"


def _tighten(match: re.Match[str]) -> str:
    before, after = match.group(1), match.group(2)
    if (before in "+-" and after in "+-") or "/" in (before, after):
        return match.group(0)
    return before if before in _TIGHT or after in _TIGHT else match.group(0)


class _Lexer:
    def __init__(self, source: str, path: str) -> None:
        self.src = source
        self.path = path
        self.found: list[Span] = []
        self.code_from = 0
        self.depth = 0  # open braces in code
        self.templates: list[int] = []  # brace depth at each open `${`
        self.regex_ok = True  # would a `/` here start a regular expression?

    def run(self) -> list[Span]:
        i, src = 0, self.src
        while i < len(src):
            ch = src[i]
            if ch in " \t\r\n\f\v\u00a0\ufeff":
                i += 1
            elif src.startswith("//", i):
                i = self.literal("comment", i, _find(src, "\n", i, len(src)))
            elif src.startswith("/*", i):
                i = self.literal("comment", i, self.close(i, "*/", "comment"))
            elif ch in "'\"":
                i = self.literal("string", i, self.string_end(i))
            elif ch == "`":
                i = self.template(i, i + 1)
            elif ch == "/" and self.regex_ok:
                i = self.literal("regex", i, self.regex_end(i))
            elif ch == "}" and self.templates and self.templates[-1] == self.depth:
                self.templates.pop()
                i = self.template(i, i + 1)
            else:
                i = self.code_token(i)
        self.cut(len(src))
        if self.templates:
            raise LexError(f"{self.path}: a template literal's ${{...}} is never closed")
        return self.found

    def code_token(self, i: int) -> int:
        src = self.src
        word = _WORD.match(src, i) or _NUMBER.match(src, i)
        if word:
            self.regex_ok = word.group() in _REGEX_AFTER_WORDS
            return word.end()
        ch = src[i]
        if ch == "{":
            self.depth += 1
        elif ch == "}":
            self.depth -= 1
        # After `)`, `]` or a closing `}` of an expression a `/` divides; `}` ending a block is far
        # more common in our code than an object literal divided by something, so treat it as a
        # statement end.
        self.regex_ok = ch not in ")]"
        return i + 1

    def literal(self, kind: str, start: int, end: int) -> int:
        self.cut(start)
        self.found.append(Span(kind, start, end))
        self.code_from = end
        if kind != "comment":
            self.regex_ok = False
        return end

    def cut(self, upto: int) -> None:
        if upto > self.code_from:
            self.found.append(Span("code", self.code_from, upto))
        self.code_from = upto

    def close(self, start: int, token: str, what: str) -> int:
        end = self.src.find(token, start + len(token))
        if end < 0:
            raise LexError(f"{self.path}:{self.line(start)}: this {what} is never closed")
        return end + len(token)

    def string_end(self, start: int) -> int:
        quote, src, i = self.src[start], self.src, start + 1
        while i < len(src):
            ch = src[i]
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                return i + 1
            if ch == "\n":
                break
            i += 1
        raise LexError(f"{self.path}:{self.line(start)}: this string is never closed")

    def regex_end(self, start: int) -> int:
        src, i, in_class = self.src, start + 1, False
        while i < len(src) and src[i] != "\n":
            ch = src[i]
            if ch == "\\":
                i += 2
                continue
            if ch == "[":
                in_class = True
            elif ch == "]":
                in_class = False
            elif ch == "/" and not in_class:
                flags = _WORD.match(src, i + 1)
                return flags.end() if flags else i + 1
            i += 1
        raise LexError(f"{self.path}:{self.line(start)}: this regular expression is never closed")

    def template(self, start: int, i: int) -> int:
        """A template's text from `start` (its backtick, or the `}` that ends a substitution)."""
        src = self.src
        while i < len(src):
            ch = src[i]
            if ch == "\\":
                i += 2
            elif ch == "`":
                return self.literal("template", start, i + 1)
            elif src.startswith("${", i):
                self.literal("template", start, i + 2)
                self.templates.append(self.depth)
                self.regex_ok = True
                return i + 2
            else:
                i += 1
        raise LexError(f"{self.path}:{self.line(start)}: this template literal is never closed")

    def line(self, pos: int) -> int:
        return self.src.count("\n", 0, pos) + 1


def _find(text: str, token: str, start: int, default: int) -> int:
    found = text.find(token, start)
    return default if found < 0 else found
