"""Release packaging, run on a maintainer's machine: never in the image."""
import subprocess


def build() -> None:
    subprocess.check_call(["pyinstaller", "--onefile", "src/greet/__main__.py"])
    subprocess.check_call(["fpm", "-s", "dir", "-t", "deb", "dist/"])


if __name__ == "__main__":
    build()
