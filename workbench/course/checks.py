"""Building blocks of the exercise checks: compare a student's answer with a computed expectation and
say what is off, without printing the expected value.

Each lesson's checks live in ``workbench/course/_exercises/<lab>_<NN>.py`` as a dict ``CHECKS`` from
exercise number to a function ``check(answer, **context) -> Feedback`` built from these helpers, and
a dict ``WRONG`` of typical wrong answers (``tests/test_course.py`` proves each one fails).

Examples
--------
>>> close(0.52, 0.5, rtol=0.01).ok, close(0.5001, 0.5, rtol=0.01).ok
(False, True)
>>> print(close(0.52, 0.5, rtol=0.01).message)
too high by 4.0% (within 1% counts as right)
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Feedback", "right", "wrong", "unanswered", "close", "equal", "same_set", "as_number"]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``ok`` and a message that says what is off (never the solution).

    Parameters
    ----------
    ok : bool or None
        True: right; False: wrong; None: not answered yet.
    message : str
        One sentence for the student.
    exercise : str, default ""
        The exercise, as ``"<lesson> #<number>"`` (filled in by :func:`workbench.course.exercise`).

    Examples
    --------
    >>> f = Feedback(False, "too low")
    >>> bool(f), f.verdict
    (False, 'wrong')
    """

    ok: bool | None
    message: str
    exercise: str = ""

    @property
    def verdict(self) -> str:
        """``"right"``, ``"wrong"`` or ``"not answered"``."""
        return {True: "right", False: "wrong", None: "not answered"}[self.ok]

    def __bool__(self) -> bool:
        return bool(self.ok)

    def __str__(self) -> str:
        where = f"{self.exercise}: " if self.exercise else ""
        mark = {True: "\u2713", False: "\u2717", None: "\u2026"}[self.ok]
        return f"{mark} {where}{self.verdict}. {self.message}".rstrip()

    def _repr_html_(self) -> str:
        colour = {True: "#1b7f3b", False: "#b3261e", None: "#6b6b6b"}[self.ok]
        return (
            f'<div class="wb-feedback wb-feedback-{self.verdict.replace(" ", "-")}" '
            f'style="border-left:4px solid {colour};padding:4px 10px;margin:4px 0">'
            f'<strong style="color:{colour}">{html.escape(str(self).split(". ")[0])}.</strong> '
            f"{html.escape(self.message)}</div>"
        )

    def __repr__(self) -> str:
        return str(self)


def right(message: str = "") -> Feedback:
    """A right answer, with an optional remark.

    Parameters
    ----------
    message : str, default ""
        What the student may look at next.

    Returns
    -------
    Feedback
        ``ok=True``.

    Examples
    --------
    >>> right("well done").ok
    True
    """
    return Feedback(True, message)


def wrong(message: str) -> Feedback:
    """A wrong answer and what is off.

    Parameters
    ----------
    message : str
        What is off, without the expected value.

    Returns
    -------
    Feedback
        ``ok=False``.

    Examples
    --------
    >>> wrong("count the marked items again").ok
    False
    """
    return Feedback(False, message)


def unanswered() -> Feedback:
    """The verdict on an answer still ``None`` (a student copy before the student has answered).

    Returns
    -------
    Feedback
        ``ok=None``.

    Examples
    --------
    >>> unanswered().verdict
    'not answered'
    """
    return Feedback(None, "Replace the None in the answer cell above with your answer, then run this cell.")


def as_number(answer, what: str = "a number"):
    """``answer`` as a float, or the :class:`Feedback` that says it is not a number.

    Parameters
    ----------
    answer : object
        The student's answer.
    what : str, default "a number"
        How the exercise names the expected kind, for the message.

    Returns
    -------
    float or Feedback
        The number, or a wrong-answer feedback.

    Examples
    --------
    >>> as_number(np.float32(2.5)), as_number("2.5").ok
    (2.5, False)
    """
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return wrong(f"the answer should be {what}, got {type(answer).__name__}")
    x = float(answer)
    if not math.isfinite(x):
        return wrong(f"the answer should be a finite number, got {x}")
    return x


def close(answer, expected: float, *, rtol: float = 0.0, atol: float = 0.0, what: str = "a number") -> Feedback:
    """Right if ``|answer - expected| <= atol + rtol * |expected|``; else say whether it is too high or too low
    and by how much (relative when ``expected`` is not 0).

    Parameters
    ----------
    answer : object
        The student's answer.
    expected : float
        The computed expectation.
    rtol, atol : float, default 0
        Relative and absolute tolerance.
    what : str, default "a number"
        How to name the expected kind when the answer is not a number.

    Returns
    -------
    Feedback
        The verdict.

    Examples
    --------
    >>> close(3, 3).ok, close(2.9, 3, atol=0.05).message
    (True, 'too low by 0.1 (within 0.05 counts as right)')
    """
    x = as_number(answer, what)
    if isinstance(x, Feedback):
        return x
    if abs(x - expected) <= atol + rtol * abs(expected):
        return right()
    side = "high" if x > expected else "low"
    tol = f"{rtol:.0%}" if rtol else f"{atol:g}"
    if expected != 0 and rtol:
        return wrong(f"too {side} by {abs(x - expected) / abs(expected):.1%} (within {tol} counts as right)")
    return wrong(f"too {side} by {abs(x - expected):.3g} (within {tol} counts as right)")


def equal(answer, expected, *, what: str = "the value") -> Feedback:
    """Right if ``answer == expected`` (integers compared exactly, numpy integers accepted).

    Parameters
    ----------
    answer : object
        The student's answer.
    expected : object
        The computed expectation.
    what : str, default "the value"
        How to name the quantity in the message.

    Returns
    -------
    Feedback
        The verdict; for integers, whether the answer is too high or too low.

    Examples
    --------
    >>> equal(np.int64(3), 3).ok, equal(4, 3, what="the iteration count").message
    (True, 'the iteration count is too high')
    """
    if isinstance(expected, (int, np.integer)) and not isinstance(expected, bool):
        if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, (int, np.integer)):
            return wrong(f"{what} should be an integer, got {type(answer).__name__}")
        if int(answer) == int(expected):
            return right()
        return wrong(f"{what} is too {'high' if answer > expected else 'low'}")
    return right() if answer == expected else wrong(f"{what} is not right")


def same_set(answer, expected, *, what: str = "items") -> Feedback:
    """Right if ``answer`` holds exactly the elements of ``expected`` (order and repeats ignored); else say how many
    are missing and how many do not belong.

    Parameters
    ----------
    answer : iterable
        The student's answer.
    expected : iterable
        The computed expectation.
    what : str, default "items"
        What the elements are, for the message.

    Returns
    -------
    Feedback
        The verdict.

    Examples
    --------
    >>> same_set([3, 1], {1, 3}).ok, same_set([1, 2], [1, 3]).message
    (True, '1 of the expected items missing, 1 that do not belong')
    """
    try:
        got = {int(a) if isinstance(a, np.integer) else a for a in answer}
    except TypeError:
        return wrong(f"the answer should be a collection of {what}, got {type(answer).__name__}")
    want = set(expected)
    if got == want:
        return right()
    return wrong(f"{len(want - got)} of the expected {what} missing, {len(got - want)} that do not belong")
