import attrs


@attrs.define
class Greeting:
    name: str

    def __str__(self) -> str:
        return f"hello, {self.name} (attrs {attrs.__version__})"


if __name__ == "__main__":
    print(Greeting("uv"))
