#ifndef FLEXDISPATCH_CMOSQUITTO_SHIM_H
#define FLEXDISPATCH_CMOSQUITTO_SHIM_H
// Debian's libmosquitto (libmosquitto-dev): the MQTT 5 client under the MQTT adapter.
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
