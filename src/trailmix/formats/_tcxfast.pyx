# cython: language_level=3, boundscheck=False, wraparound=False
"""The TCX reader's channel texts, read off lxml's tree in C (lxml's public C API).

`columns(container)` returns what `formats.tcx._columns` returns for the same container (and
the number of trackpoints), without making a Python object per element: the reader's
`_columns` makes about seven per trackpoint, a third of reading a TCX file. The same rules:
trackpoints are the container's descendants whose local name is `Trackpoint` (any namespace,
document order); per trackpoint, the first `Time` and `AltitudeMeters` child, the first
`LatitudeDegrees` / `LongitudeDegrees` child of its `Position` children and the first `Value`
child of its `HeartRateBpm` children; a value is the element's text as lxml's `.text` gives
it ("" when it has none), None when the trackpoint has no such element. A trackpoint inside
another gives no columns (None): the careful walk decides then. `tests/formats/
test_tcx_fast.py` checks both give the same on the shared files and generated documents.
"""

from lxml.includes cimport tree
from lxml.includes.etreepublic cimport _Element, import_lxml__etree
from lxml.includes.tree cimport const_xmlChar

from libc.string cimport strcmp

import_lxml__etree()

cdef enum:
    ELEMENT = 1
    TEXT = 3
    CDATA = 4
    XINCLUDE_START = 19
    XINCLUDE_END = 20


cdef inline bint _named(tree.xmlNode* node, const char* name) noexcept:
    return node.type == ELEMENT and strcmp(<const char*> node.name, name) == 0


cdef inline tree.xmlNode* _text_or_skip(tree.xmlNode* node) noexcept:
    """lxml's `_textNodeOrSkip`: the node if it is text, past XInclude marks, else NULL."""
    while node is not NULL:
        if node.type == TEXT or node.type == CDATA:
            return node
        if node.type == XINCLUDE_START or node.type == XINCLUDE_END:
            node = node.next
            continue
        return NULL
    return NULL


cdef str _text(tree.xmlNode* element):
    """The element's `.text` as lxml gives it, "" for None: its leading text and CDATA."""
    cdef tree.xmlNode* node = _text_or_skip(element.children)
    if node is NULL:
        return ""
    cdef tree.xmlNode* after = _text_or_skip(node.next)
    if after is NULL:  # the usual case: one text node
        return (<const char*> node.content).decode("utf-8")
    cdef bytes joined = b""
    while node is not NULL:
        joined += <bytes> (<const char*> node.content)
        node = _text_or_skip(node.next)
    return joined.decode("utf-8")


cdef inline bint _is_point(tree.xmlNode* node) noexcept:
    return _named(node, "Trackpoint")


cdef bint _collect(tree.xmlNode* top, list points) except -1:
    """Append the Trackpoint elements below `top` to `points`, in document order; False
    when one lies inside another (then `points` is incomplete)."""
    cdef tree.xmlNode* node = top.children
    cdef int inside = 0  # how many trackpoints the walk is inside
    while node is not NULL:
        if node.type == ELEMENT:
            if _is_point(node):
                if inside:
                    return False
                points.append(<size_t> node)
            if node.children is not NULL:  # down (only into elements, as lxml's iter)
                if _is_point(node):
                    inside += 1
                node = node.children
                continue
        # on: the next sibling, else up until an ancestor has one
        while node.next is NULL:
            node = node.parent
            if node is top or node is NULL:
                return True
            if _is_point(node):
                inside -= 1
        node = node.next
    return True


def columns(_Element container):
    """(number of trackpoints, (lat, lon, time, altitude, heart rate) texts); None when a
    trackpoint lies inside another."""
    cdef list points = []
    if not _collect(container._c_node, points):
        return None
    cdef Py_ssize_t n = len(points)
    cdef list lat = [None] * n, lon = [None] * n, time = [None] * n
    cdef list alt = [None] * n, hr = [None] * n
    cdef Py_ssize_t i
    cdef tree.xmlNode* point
    cdef tree.xmlNode* child
    cdef tree.xmlNode* value
    for i in range(n):
        point = <tree.xmlNode*> <size_t> points[i]
        child = point.children
        while child is not NULL:
            if child.type == ELEMENT:
                if _named(child, "Time"):
                    if time[i] is None:
                        time[i] = _text(child)
                elif _named(child, "AltitudeMeters"):
                    if alt[i] is None:
                        alt[i] = _text(child)
                elif _named(child, "Position"):
                    value = child.children
                    while value is not NULL:
                        if _named(value, "LatitudeDegrees"):
                            if lat[i] is None:
                                lat[i] = _text(value)
                        elif _named(value, "LongitudeDegrees"):
                            if lon[i] is None:
                                lon[i] = _text(value)
                        value = value.next
                elif _named(child, "HeartRateBpm"):
                    value = child.children
                    while value is not NULL:
                        if _named(value, "Value") and hr[i] is None:
                            hr[i] = _text(value)
                        value = value.next
            child = child.next
    return n, (lat, lon, time, alt, hr)
