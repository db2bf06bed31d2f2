# -*- coding: utf-8 -*-
# Copyright: (c) 2026, genesyscloud.cx contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# FOR INTERNAL COLLECTION USE ONLY
# The interfaces in this file are meant for use within the genesyscloud.cx collection and may change in
# any release.

"""Files written whole: the module's results file and journal, and the reports (through the action plugin)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import tempfile


# Text is encoded and written a slice at a time: a report of 10,000 actions is some 10 MB, and encoding it whole
# would hold a second copy of it.
_SLICE = 1 << 20


def write_whole(path, data, mode=0o644, sync=False):
    """Write ``data`` (text, bytes, or an iterable of text pieces) to a temporary file beside ``path``, then rename it
    into place.

    A reader never sees half a file, and a failure leaves no temporary file behind. ``sync``: flush the file to
    disk before the rename (the journal, which must survive a machine that stops). Raises OSError.
    """
    handle, temporary = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=os.path.dirname(path) or ".")
    try:
        with os.fdopen(handle, "wb") as stream:
            if isinstance(data, bytes):
                stream.write(data)
            elif isinstance(data, str):
                for start in range(0, len(data), _SLICE):
                    stream.write(data[start:start + _SLICE].encode("utf-8"))
            else:
                for piece in data:
                    stream.write(piece.encode("utf-8"))
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
