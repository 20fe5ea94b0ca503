"""Answer plain-language questions (a mention, a DM, or a sentence after /chinabio).

The pipeline is in `handlers/question/`: entities -> intent -> answer.
"""

from __future__ import annotations

from handlers.question.answer import answer_question

__all__ = ["answer_question"]
