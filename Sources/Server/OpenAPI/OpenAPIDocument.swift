/// The OpenAPI 3.1 description of the service, served at GET /openapi.json. A copy is
/// committed as docs/openapi.json; `OpenAPITests` checks the two are equal, that every route
/// registered in Sources/Server is in it, and that real answers have the documented fields.
enum OpenAPIDocument {
    static let json = #"""
        {
          "components": {
            "responses": {
              "Error": {
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/Error"
                    }
                  }
                },
                "description": "A problem, as a sentence naming the field when there is one"
              }
            },
            "schemas": {
              "Decision": {
                "properties": {
                  "allocation_version": {
                    "type": "integer"
                  },
                  "arm": {
                    "type": "string"
                  },
                  "experiment": {
                    "type": "string"
                  },
                  "features": {
                    "description": "For a contextual policy (linucb, linear_thompson): the feature vector the arm was chosen with, intercept first",
                    "items": {
                      "type": "number"
                    },
                    "type": "array"
                  },
                  "items": {
                    "items": {
                      "$ref": "#/components/schemas/DecisionItem"
                    },
                    "type": "array"
                  },
                  "model_version": {
                    "description": "For a contextual policy: the model version that chose the arm (0: the prior)",
                    "type": "integer"
                  },
                  "propensity": {
                    "exclusiveMinimum": 0,
                    "maximum": 1,
                    "type": "number"
                  },
                  "reason": {
                    "enum": [
                      "not_running",
                      "not_targeted",
                      "in_holdout",
                      "outside_layer_segment",
                      "not_in_traffic",
                      "excluded"
                    ],
                    "type": "string"
                  },
                  "request_id": {
                    "format": "uuid",
                    "type": "string"
                  },
                  "version": {
                    "type": "integer"
                  }
                },
                "required": [
                  "request_id",
                  "experiment",
                  "version",
                  "arm",
                  "items",
                  "propensity",
                  "allocation_version"
                ],
                "type": "object"
              },
              "DecisionItem": {
                "properties": {
                  "item_id": {
                    "type": "string"
                  },
                  "position": {
                    "minimum": 1,
                    "type": "integer"
                  },
                  "score": {
                    "type": [
                      "number",
                      "null"
                    ]
                  },
                  "team": {
                    "description": "interleaving experiments: the arm that contributed the item",
                    "type": "string"
                  }
                },
                "required": [
                  "item_id",
                  "score",
                  "position"
                ],
                "type": "object"
              },
              "DecisionRequest": {
                "properties": {
                  "context": {
                    "additionalProperties": {
                      "type": [
                        "string",
                        "number",
                        "boolean"
                      ]
                    },
                    "type": "object"
                  },
                  "exclude": {
                    "items": {
                      "type": "string"
                    },
                    "type": "array"
                  },
                  "experiment": {
                    "minLength": 1,
                    "type": "string"
                  },
                  "k": {
                    "default": 10,
                    "maximum": 1000,
                    "minimum": 1,
                    "type": "integer"
                  },
                  "unit_id": {
                    "maxLength": 256,
                    "minLength": 1,
                    "type": "string"
                  }
                },
                "required": [
                  "experiment",
                  "unit_id"
                ],
                "type": "object"
              },
              "Error": {
                "properties": {
                  "error": {
                    "properties": {
                      "field": {
                        "type": "string"
                      },
                      "message": {
                        "type": "string"
                      },
                      "status": {
                        "type": "integer"
                      }
                    },
                    "required": [
                      "status",
                      "message"
                    ],
                    "type": "object"
                  }
                },
                "required": [
                  "error"
                ],
                "type": "object"
              },
              "Event": {
                "properties": {
                  "event_id": {
                    "type": "string"
                  },
                  "item_id": {
                    "type": "string"
                  },
                  "request_id": {
                    "format": "uuid",
                    "type": "string"
                  },
                  "timestamp": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "type": {
                    "enum": [
                      "view",
                      "click",
                      "add_to_cart",
                      "purchase"
                    ],
                    "type": "string"
                  },
                  "unit_id": {
                    "type": "string"
                  },
                  "value": {
                    "default": 0,
                    "type": "number"
                  }
                },
                "required": [
                  "event_id",
                  "request_id",
                  "unit_id",
                  "item_id",
                  "type",
                  "timestamp"
                ],
                "type": "object"
              },
              "EventBatch": {
                "properties": {
                  "events": {
                    "items": {
                      "$ref": "#/components/schemas/Event"
                    },
                    "maxItems": 1000,
                    "type": "array"
                  }
                },
                "required": [
                  "events"
                ],
                "type": "object"
              },
              "EventProblem": {
                "properties": {
                  "event_id": {
                    "type": "string"
                  },
                  "field": {
                    "type": "string"
                  },
                  "index": {
                    "type": "integer"
                  },
                  "message": {
                    "type": "string"
                  }
                },
                "required": [
                  "index",
                  "field",
                  "message"
                ],
                "type": "object"
              },
              "Health": {
                "properties": {
                  "buffered_impressions": {
                    "type": "integer"
                  },
                  "experiments": {
                    "type": "integer"
                  },
                  "impression_spool_bytes": {
                    "type": "integer"
                  },
                  "impression_spool_unreadable_bytes": {
                    "description": "Bytes of spooled impression lines set aside in <spool>/impressions/unreadable.jsonl, not replayed",
                    "type": "integer"
                  },
                  "postgres": {
                    "type": "boolean"
                  },
                  "rejected_impressions": {
                    "description": "Impressions PostgreSQL refused since the server started; they are in <spool>/rejected-impressions.jsonl",
                    "type": "integer"
                  },
                  "spool_bytes": {
                    "type": "integer"
                  },
                  "spool_unreadable_bytes": {
                    "description": "Bytes of spooled event lines set aside in <spool>/unreadable.jsonl (torn writes, records of another version), not replayed",
                    "type": "integer"
                  },
                  "status": {
                    "enum": [
                      "ok",
                      "degraded"
                    ],
                    "type": "string"
                  }
                },
                "required": [
                  "status",
                  "postgres",
                  "spool_bytes",
                  "impression_spool_bytes",
                  "spool_unreadable_bytes",
                  "impression_spool_unreadable_bytes",
                  "buffered_impressions",
                  "rejected_impressions",
                  "experiments"
                ],
                "type": "object"
              },
              "OutcomeBatch": {
                "properties": {
                  "events": {
                    "items": {
                      "$ref": "#/components/schemas/OutcomeEvent"
                    },
                    "maxItems": 1000,
                    "type": "array"
                  }
                },
                "required": [
                  "events"
                ],
                "type": "object"
              },
              "OutcomeEvent": {
                "properties": {
                  "event_id": {
                    "type": "string"
                  },
                  "timestamp": {
                    "format": "date-time",
                    "type": "string"
                  },
                  "type": {
                    "pattern": "^[a-z][a-z0-9_]{0,62}$",
                    "type": "string"
                  },
                  "unit_id": {
                    "type": "string"
                  },
                  "value": {
                    "type": [
                      "number",
                      "null"
                    ]
                  }
                },
                "required": [
                  "event_id",
                  "unit_id",
                  "type",
                  "timestamp"
                ],
                "type": "object"
              },
              "Receipt": {
                "properties": {
                  "accepted": {
                    "type": "integer"
                  },
                  "duplicates": {
                    "type": "integer"
                  },
                  "errors": {
                    "items": {
                      "$ref": "#/components/schemas/EventProblem"
                    },
                    "type": "array"
                  },
                  "rejected": {
                    "type": "integer"
                  },
                  "spooled": {
                    "type": "boolean"
                  }
                },
                "required": [
                  "accepted",
                  "duplicates",
                  "rejected",
                  "spooled",
                  "errors"
                ],
                "type": "object"
              }
            },
            "securitySchemes": {
              "apiKey": {
                "description": "abk_<id>_<secret>; scopes decide, events, admin",
                "scheme": "bearer",
                "type": "http"
              }
            }
          },
          "info": {
            "description": "Decisions, feedback events, health and dashboards of `abctl serve`. Decisions, events and dashboards need `Authorization: Bearer KEY` (abctl keys create) unless the server runs with --no-keys. See docs/operations.md.",
            "title": "abctl decision service",
            "version": "1.0.0"
          },
          "openapi": "3.1.0",
          "paths": {
            "/dashboard": {
              "get": {
                "responses": {
                  "200": {
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "description": "HTML"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "security": [
                  {
                    "apiKey": [
                      "admin"
                    ]
                  }
                ],
                "summary": "The experiment list (HTML)"
              }
            },
            "/dashboard/{name}": {
              "get": {
                "parameters": [
                  {
                    "in": "path",
                    "name": "name",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "description": "HTML"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "security": [
                  {
                    "apiKey": [
                      "admin"
                    ]
                  }
                ],
                "summary": "One experiment: per-arm metrics, verdicts, allocation history (HTML)"
              }
            },
            "/healthz": {
              "get": {
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Health"
                        }
                      }
                    },
                    "description": "Health"
                  }
                },
                "summary": "The process answers; PostgreSQL and spool state"
              }
            },
            "/metrics": {
              "get": {
                "responses": {
                  "200": {
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "description": "Metrics"
                  }
                },
                "summary": "Prometheus text format"
              }
            },
            "/openapi.json": {
              "get": {
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    },
                    "description": "OpenAPI 3.1"
                  }
                },
                "summary": "This document"
              }
            },
            "/readyz": {
              "get": {
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Health"
                        }
                      }
                    },
                    "description": "Ready"
                  },
                  "503": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Health"
                        }
                      }
                    },
                    "description": "PostgreSQL unreachable"
                  }
                },
                "summary": "Ready when PostgreSQL is reachable"
              }
            },
            "/v1/decisions": {
              "post": {
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/DecisionRequest"
                      }
                    }
                  },
                  "required": true
                },
                "responses": {
                  "200": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Decision"
                        }
                      }
                    },
                    "description": "The decision"
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "404": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "security": [
                  {
                    "apiKey": [
                      "decide"
                    ]
                  }
                ],
                "summary": "Assign the unit, rank with the arm's strategy, log the impression"
              }
            },
            "/v1/events": {
              "post": {
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/EventBatch"
                      }
                    }
                  },
                  "required": true
                },
                "responses": {
                  "202": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Receipt"
                        }
                      }
                    },
                    "description": "Counts, and a problem per rejected event"
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "security": [
                  {
                    "apiKey": [
                      "events"
                    ]
                  }
                ],
                "summary": "Store a batch of feedback events durably, then acknowledge"
              }
            },
            "/v1/outcomes": {
              "post": {
                "requestBody": {
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/OutcomeBatch"
                      }
                    }
                  },
                  "required": true
                },
                "responses": {
                  "202": {
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Receipt"
                        }
                      }
                    },
                    "description": "Counts, and a problem per rejected event"
                  },
                  "400": {
                    "$ref": "#/components/responses/Error"
                  },
                  "401": {
                    "$ref": "#/components/responses/Error"
                  },
                  "403": {
                    "$ref": "#/components/responses/Error"
                  },
                  "413": {
                    "$ref": "#/components/responses/Error"
                  },
                  "503": {
                    "$ref": "#/components/responses/Error"
                  }
                },
                "security": [
                  {
                    "apiKey": [
                      "events"
                    ]
                  }
                ],
                "summary": "Store a batch of outcome events (keyed by unit, answering no decision) durably, then acknowledge"
              }
            }
          }
        }
        """#
}
