/* SPDX-License-Identifier: MIT */
/* Every SCMI v3.2 protocol's wire format at once (see include/vscmi/scmi_wire.h). */
#ifndef VSCMI_SCMI_WIRE_ALL_H
#define VSCMI_SCMI_WIRE_ALL_H

#include <scmi/wire/base.h>
#include <scmi/wire/power.h>
#include <scmi/wire/system.h>
#include <scmi/wire/perf.h>
#include <scmi/wire/clock.h>
#include <scmi/wire/sensor.h>
#include <scmi/wire/reset.h>
#include <scmi/wire/voltage.h>
#include <scmi/wire/powercap.h>
#include <scmi/wire/pinctrl.h>

#endif /* VSCMI_SCMI_WIRE_ALL_H */
