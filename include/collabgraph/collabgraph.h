#pragma once

// Umbrella header: everything a user of the library needs.

#include "collabgraph/centrality.h"
#include "collabgraph/countries.h"
#include "collabgraph/database.h"
#include "collabgraph/export.h"
#include "collabgraph/filters.h"
#include "collabgraph/ingest.h"
#include "collabgraph/json.h"
#include "collabgraph/options.h"
#include "collabgraph/report.h"
#include "collabgraph/rules.h"
#include "collabgraph/stats.h"
