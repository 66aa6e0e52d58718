#ifndef KVD_SERVER_H
#define KVD_SERVER_H

/* Defaults a config file can override. */
#define CONFIG_DEFAULT_SERVER_PORT 7070   /* TCP port clients connect to */
#define CONFIG_DEFAULT_REPLICA_PORT 17070 /* a replica's link, not the service */
#define CONFIG_DEFAULT_BACKLOG 16

int serve(int port);

#endif
