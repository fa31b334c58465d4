"""The one exception that reaches the user as a clean one-line error (exit 1)."""


class UserError(Exception):
    """A problem the user can fix: printed as one line on stderr, exit code 1.

    The message should name the record, the file and the field where there
    is one, e.g. ``ORD-A-0042 (front/orders/open/ORD-A-0042.yaml): lines: ...``.
    """

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Vanished(UserError):
    """A file that was just listed is gone: a writer moved it meanwhile (readers take no
    lock), so the reader lists again and finds it in its new folder."""
