/* A one-file HTTP server: the port is a file-scope default that --port changes. */
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static uint16_t bindport = 8081;    /* or --port N */

int parse_port(const char *text) {
    long n = strtol(text, NULL, 10);
    return n > 0 && n < 65536 ? (int)n : -1;
}

int main(int argc, char **argv) {
    static const char reply[] =
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 17\r\n\r\nminihttpd: hello\n";
    struct sockaddr_in addr;
    int one = 1, fd;

    if (argc == 3 && strcmp(argv[1], "--port") == 0) {
        int port = parse_port(argv[2]);
        if (port < 0) {
            fprintf(stderr, "minihttpd: bad port %s\n", argv[2]);
            return 2;
        }
        bindport = (uint16_t)port;
    }
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons(bindport);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, 16) < 0) {
        perror("bind");
        return 1;
    }
    printf("minihttpd listening on 0.0.0.0:%u\n", (unsigned)bindport);
    fflush(stdout);
    for (;;) {
        char request[4096];
        int client = accept(fd, NULL, NULL);
        if (client < 0)
            continue;
        if (read(client, request, sizeof request) > 0 && write(client, reply, sizeof reply - 1) < 0)
            perror("write");
        close(client);
    }
}
