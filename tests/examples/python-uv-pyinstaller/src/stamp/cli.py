"""stamp: parse a date and print it in ISO form."""

import argparse

from dateutil import parser as dateparser


def main() -> None:
    args = argparse.ArgumentParser(prog="stamp", description="Prints a date in ISO 8601.")
    args.add_argument("date", nargs="?", default="1 March 2024 10:30")
    when = dateparser.parse(args.parse_args().date)
    print(f"stamp: {when.isoformat()}")
