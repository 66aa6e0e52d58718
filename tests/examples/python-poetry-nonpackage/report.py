"""Prints a small table: a script run from the source tree, not an installed package."""

from tabulate import tabulate


def main() -> None:
    rows = [("apples", 3), ("pears", 5)]
    print(tabulate(rows, headers=["fruit", "count"], tablefmt="plain"))
    print(f"total: {sum(count for _, count in rows)}")


if __name__ == "__main__":
    main()
