#include "server.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int serve(int port) {
    static const char reply[] =
        "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 12\r\n\r\nkvd: PONG!\r\n";
    struct sockaddr_in addr;
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        perror("socket");
        return 1;
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    addr.sin_port = htons((unsigned short)port);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(fd, CONFIG_DEFAULT_BACKLOG) < 0) {
        perror("bind");
        return 1;
    }
    printf("kvd listening on 0.0.0.0:%d\n", port);
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
