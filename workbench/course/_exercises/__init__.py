"""The checks of each lesson's exercises, one module ``<lab>_<NN>`` per lesson.

Each module holds ``CHECKS`` (exercise number -> check function ``check(answer, **context) -> Feedback``) and
``WRONG``, a function returning exercise number -> typical wrong answers, each an ``(answer, context)`` pair that
``tests/test_course.py`` proves fails.
"""
