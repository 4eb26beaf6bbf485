// librdkafka installs its headers under <librdkafka/…> (pkg-config `rdkafka`).
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
