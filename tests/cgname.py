"""cadv's text form of container names (docs/PROTOCOL.md), for tests."""


def escape(name: bytes) -> str:
    """Printable ASCII and valid UTF-8 (no controls) as is, backslash
    doubled, any other byte as \\xNN."""
    out = []
    i = 0
    while i < len(name):
        b = name[i]
        if b == 0x5C:
            out.append("\\\\")
            i += 1
            continue
        if 0x20 <= b < 0x7F:
            out.append(chr(b))
            i += 1
            continue
        n = 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else \
            4 if 0xF0 <= b <= 0xF4 else 0
        if n:
            try:
                ch = name[i:i + n].decode("utf-8")
                if len(ch) == 1 and not 0x80 <= ord(ch) <= 0x9F:
                    out.append(ch)
                    i += n
                    continue
            except UnicodeDecodeError:
                pass
        out.append("\\x%02x" % b)
        i += 1
    return "".join(out)


def unescape(text: str) -> bytes:
    raw = text.encode("utf-8")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i:i + 2] == b"\\\\":
            out.append(0x5C)
            i += 2
        elif raw[i:i + 2] == b"\\x":
            out.append(int(raw[i + 2:i + 4], 16))
            i += 4
        else:
            out.append(raw[i])
            i += 1
    return bytes(out)
