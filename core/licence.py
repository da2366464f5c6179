"""Licence, copyright and reprint notices: recognised by naming two of the things such notices name."""

from __future__ import annotations

import re

_TERMS = re.compile(
    r"著作权|版权所有|版权|公有领域|知识共享|许可协议|授权许可|Creative Commons|Public domain|"
    r"未经[^，。]{0,6}(?:许可|授权|同意)|(?:不得|禁止|严禁|谢绝)(?:转载|复制|摘编|镜像)|转载请注明|"
    r"All rights reserved|Copyright|©",
    re.IGNORECASE,
)


def licence_terms(text: str) -> int:
    """How many different notice terms the text holds; two or more make it a licence or copyright notice."""
    return len({m.lower() for m in _TERMS.findall(text)})
