/* A test client talking to a server started on its own port: not the service's port. */
#define TEST_DEFAULT_PORT 21111
int main(void) { return TEST_DEFAULT_PORT == 0; }
