"""Qt user interface. Only this package imports Qt."""

import sys


def _keep_singletons_alive() -> None:
    """Work around PySide6 6.12 on Python before 3.12: every call of a Qt method that returns nothing
    takes one reference to None away that it never gave (measured: QLabel.setText and QWidget.update,
    one each; True and False suffer the same in places). The live window makes about 1,600 such calls a
    second and ended with "Fatal Python error: none_dealloc" after about 40 s of video.

    Python 3.12 made None, True and False immortal; here their reference counts are raised by 2**40
    once, which the lost references cannot use up (at that rate: some 20,000 years).
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40   # ob_refcnt: PyObject's first field


_keep_singletons_alive()
