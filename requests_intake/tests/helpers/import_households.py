"""The sample file an office sent, wrong rows and all, for the household import tests."""

from pathlib import Path

SAMPLE = Path("/work/shared/samples/households_excel_es.csv")


SAMPLE_ERRORS = [
    ("6", "Documento", "The DNI letter of “12345678B” is wrong: check the number with the person."),
    ("7", "Apellidos", "fill in the family name."),
    ("7", "Documento", "A DNI has 8 digits and a letter, e.g. 12345678Z; got “50000000”."),
    ("7", "Dirección", "fill in the address."),
]


def sample_cleaned() -> bytes:
    """The sample with its three wrong rows put right, still in Windows-1252 with semicolons and CRLF."""
    text = SAMPLE.read_bytes().decode("cp1252")
    text = text.replace("12345678B", "12345678Z").replace(
        "Elena;;DNI;50000000;612 888 777;;", "Elena;Ruiz;DNI;50000000R;612 888 777;C/ Mayor 5;"
    )
    return text.encode("cp1252")
