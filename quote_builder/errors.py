"""The base of every error whose message is meant for the user (not a bug): the command
line prints it and exits with status 2, the app shows it in a dialog."""


class UserFacingError(Exception):
    """An error with a message a user can act on."""
