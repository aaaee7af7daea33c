from lxml import etree

_Columns = tuple[
    list[str | None], list[str | None], list[str | None], list[str | None], list[str | None]
]

def columns(container: etree._Element) -> tuple[int, _Columns] | None: ...
