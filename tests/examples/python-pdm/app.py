import idna

if __name__ == "__main__":
    print("encoded:", idna.encode("bücher.example").decode())
