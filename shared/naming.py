"""Attribute names on the wire: `total_bill` is `totalBill`."""


def camelcase(name: str) -> str:
    head, *tail = name.split("_")
    return head + "".join(part.title() for part in tail)
