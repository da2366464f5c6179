"""Small .docx packages written from WordprocessingML snippets, for reader tests that need markup python-docx lacks."""

from __future__ import annotations

import io
import zipfile

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
_PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/numbering" Target="numbering.xml"/></Relationships>'
)


def p(text: str = "", ppr: str = "", runs: str = "") -> str:
    """A paragraph: properties (inside w:pPr), then `text` as one run, then any further run markup."""
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{run}{runs}</w:p>"


def numbered(text: str, num_id: int, ilvl: int, style: str = "") -> str:
    """A paragraph in list `num_id` at level `ilvl`, optionally with a paragraph style."""
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return p(text, f'{pstyle}<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')


def style(style_id: str, name: str, ppr: str = "", based_on: str = "", kind: str = "paragraph") -> str:
    """A style definition for styles.xml."""
    base = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{base}'
        f"{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}</w:style>"
    )


def level(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    """One w:lvl of an abstract list definition."""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>{extra}'
        f'<w:lvlText w:val="{text}"/></w:lvl>'
    )


def numbering(abstracts: dict[int, str], nums: dict[int, tuple[int, str]]) -> str:
    """numbering.xml from abstract lists (id -> w:lvl markup) and lists (id -> (abstract id, overrides))."""
    parts = [f'<w:abstractNum w:abstractNumId="{key}">{levels}</w:abstractNum>' for key, levels in abstracts.items()]
    parts += [
        f'<w:num w:numId="{key}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>'
        for key, (abstract, overrides) in nums.items()
    ]
    return f"<w:numbering {NAMESPACES}>{''.join(parts)}</w:numbering>"


def package(body: str, styles: str = "", numbering_xml: str = "", parts: dict[str, bytes | str] | None = None) -> bytes:
    """The bytes of a .docx whose body is `body` (paragraph and table markup)."""
    files: dict[str, bytes | str] = {
        "[Content_Types].xml": _TYPES,
        "_rels/.rels": _PACKAGE_RELS,
        "word/_rels/document.xml.rels": _DOCUMENT_RELS,
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {NAMESPACES}><w:body>{body}'
        "<w:sectPr/></w:body></w:document>",
        "word/styles.xml": f"<w:styles {NAMESPACES}>{styles}</w:styles>",
    }
    if numbering_xml:
        files["word/numbering.xml"] = numbering_xml
    files.update(parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


REPORT_STYLES = (
    style("a", "Normal")
    + style("a0", "Title", based_on="a")
    + style("a3", "List Paragraph", based_on="a")
    # Chinese Word names its heading styles "heading N" but gives them the ids "1", "2" …
    + style("1", "heading 1", '<w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/>', "a")
    + style("2", "heading 2", '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>', "a")
).replace('w:styleId="a">', 'w:default="1" w:styleId="a">', 1)

REPORT_NUMBERING = numbering(
    {
        1: level(0, "chineseCounting", "%1、", extra='<w:pStyle w:val="1"/><w:suff w:val="nothing"/>')
        + level(1, "chineseCounting", "（%2）", extra='<w:suff w:val="nothing"/>')
        + level(2, "decimal", "%3.")
        + level(3, "decimal", "（%4）"),
    },
    {1: (1, ""), 2: (1, '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride>')},
)

BODY = "全年工作取得明显成效，各项指标稳中有进。"

# An automatically numbered report: (paragraph markup, the heading's level, number and text as expected).
REPORT: list[tuple[str, tuple[int, str, str] | None]] = [
    (p("某县2023年工作总结", '<w:pStyle w:val="a0"/>'), None),
    (p(BODY * 3), None),
    (numbered("主要成效", 1, 0), (1, "一、", "主要成效")),
    (numbered("经济运行", 1, 1, "a3"), (2, "（一）", "经济运行")),
    (p(BODY), None),
    (numbered("项目建设", 1, 2), (3, "1.", "项目建设")),
    (numbered("新开工项目", 1, 3, "a3"), (4, "（1）", "新开工项目")),
    (p(BODY), None),
    (numbered("续建项目", 1, 3, "a3"), (4, "（2）", "续建项目")),
    (numbered("招商引资", 1, 2), (3, "2.", "招商引资")),
    (numbered("签约项目", 1, 3, "a3"), (4, "（1）", "签约项目")),
    (numbered("社会事业", 1, 1, "a3"), (2, "（二）", "社会事业")),
    (numbered("教育", 1, 2), (3, "1.", "教育")),
    (p(BODY), None),
    (p("存在问题", '<w:pStyle w:val="1"/>'), (1, "二、", "存在问题")),
    (p("短板弱项", '<w:pStyle w:val="2"/>'), (2, "（一）", "短板弱项")),
    (p(BODY), None),
    (numbered("下一步打算", 2, 0), (1, "四、", "下一步打算")),
    (numbered("稳增长", 2, 1), (2, "（一）", "稳增长")),
    (p(BODY), None),
]


def report_docx() -> bytes:
    """The automatically numbered report as .docx bytes: no number is typed, all come from numbering.xml."""
    return package("".join(markup for markup, _ in REPORT), REPORT_STYLES, REPORT_NUMBERING)
