"""Plain text: every Cyrillic letter is converted, except what is kept (addresses, the keep
list, ``-{…}-``). Its converter is the core's own streaming one (stream.StreamConverter),
which the one dispatch (`dispatch.converter_for`, kind ``plain``) makes without
importing this module, so that the plain filter starts fast; the files layer also splits
a large file over worker processes.
"""
