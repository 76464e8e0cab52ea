// One-off generator for the interim openapi.json stub (the backend's `python -m api.openapi` replaces it).
import { writeFileSync } from "node:fs";

const ref = (n) => ({ $ref: `#/components/schemas/${n}` });
const json = (schema) => ({ content: { "application/json": { schema } } });
const ok = (schema, status = 200, description = "OK") => ({ [status]: { description, ...json(schema) } });
const err = (...codes) =>
  Object.fromEntries(codes.map((c) => [c, { description: "Error", ...json(ref("Error")) }]));
const q = (name, schema, description) => ({ name, in: "query", required: false, schema, description });
const idParam = { name: "id", in: "path", required: true, schema: { type: "string", format: "uuid" } };
const page = [q("page", { type: "integer", minimum: 1, default: 1 }), q("perPage", { type: "integer", minimum: 1, maximum: 100, default: 20 })];
const list = (item) => ({
  type: "object",
  required: ["items", "total", "page", "perPage"],
  properties: { items: { type: "array", items: ref(item) }, total: { type: "integer" }, page: { type: "integer" }, perPage: { type: "integer" } },
});
const nullableStr = { type: ["string", "null"] };
const body = (schema) => ({ required: true, ...json(schema) });

const schemas = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          details: { type: "object", additionalProperties: true },
        },
      },
    },
  },
  User: {
    type: "object",
    required: ["id", "username", "name", "role", "businessName", "isActive", "createdAt", "updatedAt"],
    properties: {
      id: { type: "string", format: "uuid" },
      username: { type: "string" },
      name: { type: "string" },
      role: { type: "string", enum: ["superadmin", "mitra"] },
      phone: nullableStr,
      businessName: { type: "string" },
      bankName: nullableStr,
      bankAccount: nullableStr,
      bankHolder: nullableStr,
      isActive: { type: "boolean" },
      lastLoginAt: { type: ["string", "null"], format: "date-time" },
      createdAt: { type: "string", format: "date-time" },
      updatedAt: { type: "string", format: "date-time" },
      customerCount: { type: "integer" },
    },
  },
  UserCreate: {
    type: "object",
    required: ["username", "password", "name", "businessName"],
    properties: {
      username: { type: "string" }, password: { type: "string" }, name: { type: "string" },
      phone: nullableStr, businessName: { type: "string" }, bankName: nullableStr,
      bankAccount: nullableStr, bankHolder: nullableStr, isActive: { type: "boolean" },
    },
  },
  UserUpdate: {
    type: "object",
    properties: {
      password: { type: "string" }, name: { type: "string" }, phone: nullableStr,
      businessName: { type: "string" }, bankName: nullableStr, bankAccount: nullableStr,
      bankHolder: nullableStr, isActive: { type: "boolean" },
    },
  },
  MeUpdate: {
    type: "object",
    properties: {
      name: { type: "string" }, currentPassword: { type: "string" }, newPassword: { type: "string" },
      phone: nullableStr, bankName: nullableStr, bankAccount: nullableStr, bankHolder: nullableStr,
    },
  },
  Tokens: {
    type: "object",
    required: ["accessToken", "refreshToken", "user"],
    properties: { accessToken: { type: "string" }, refreshToken: { type: "string" }, user: ref("User") },
  },
  Package: {
    type: "object",
    required: ["id", "name", "speed", "price", "isActive", "createdAt", "updatedAt"],
    properties: {
      id: { type: "string", format: "uuid" }, name: { type: "string" }, speed: { type: "string" },
      price: { type: "integer" }, description: nullableStr, isActive: { type: "boolean" },
      customerCount: { type: "integer" },
      createdAt: { type: "string", format: "date-time" }, updatedAt: { type: "string", format: "date-time" },
    },
  },
  PackageIn: {
    type: "object",
    required: ["name", "speed", "price"],
    properties: { name: { type: "string" }, speed: { type: "string" }, price: { type: "integer" }, description: nullableStr },
  },
  PackageUpdate: {
    type: "object",
    properties: { name: { type: "string" }, speed: { type: "string" }, price: { type: "integer" }, description: nullableStr, isActive: { type: "boolean" } },
  },
  Customer: {
    type: "object",
    required: ["id", "name", "status"],
    properties: {
      id: { type: "string", format: "uuid" }, name: { type: "string" }, phone: nullableStr,
      status: { type: "string", enum: ["active", "isolated", "inactive"] },
      packageId: { type: "string", format: "uuid" }, ownerId: { type: "string", format: "uuid" },
      billingDate: { type: "integer" }, discount: { type: "integer" }, totalBill: { type: "integer" },
    },
  },
  DashboardStats: {
    type: "object",
    required: ["totalCustomers", "activeCustomers", "isolatedCustomers", "inactiveCustomers", "packageCount"],
    properties: {
      totalCustomers: { type: "integer" }, activeCustomers: { type: "integer" },
      isolatedCustomers: { type: "integer" }, inactiveCustomers: { type: "integer" },
      mitraCount: { type: "integer" }, packageCount: { type: "integer" },
    },
  },
  Branding: {
    type: "object",
    properties: {
      app_name: { type: "string" }, logo_url: nullableStr, splash_logo_url: nullableStr,
      splash_bg_color: nullableStr, favicon_url: nullableStr, meta_description: nullableStr,
      app_version: { type: "string" },
    },
  },
  Health: { type: "object", properties: { status: { type: "string" } }, additionalProperties: true },
};
for (const n of ["User", "Package", "Customer"]) schemas[`${n}List`] = list(n);

const paths = {
  "/auth/login": { post: { tags: ["auth"], requestBody: body({ type: "object", required: ["username", "password"], properties: { username: { type: "string" }, password: { type: "string" } } }), responses: { ...ok(ref("Tokens")), ...err(401, 422, 423, 429) } } },
  "/auth/refresh": { post: { tags: ["auth"], requestBody: body({ type: "object", required: ["refreshToken"], properties: { refreshToken: { type: "string" } } }), responses: { ...ok(ref("Tokens")), ...err(401) } } },
  "/auth/logout": { post: { tags: ["auth"], requestBody: body({ type: "object", properties: { refreshToken: { type: "string" } } }), responses: { 204: { description: "No Content" }, ...err(401) } } },
  "/auth/me": {
    get: { tags: ["auth"], responses: { ...ok(ref("User")), ...err(401) } },
    patch: { tags: ["auth"], requestBody: body(ref("MeUpdate")), responses: { ...ok(ref("User")), ...err(400, 401, 422) } },
  },
  "/users": {
    get: { tags: ["users"], parameters: [...page, q("q", { type: "string" }), q("isActive", { type: "boolean" })], responses: { ...ok(ref("UserList")), ...err(401, 403) } },
    post: { tags: ["users"], requestBody: body(ref("UserCreate")), responses: { ...ok(ref("User"), 201, "Created"), ...err(401, 403, 409, 422) } },
  },
  "/users/{id}": {
    parameters: [idParam],
    get: { tags: ["users"], responses: { ...ok(ref("User")), ...err(401, 403, 404) } },
    patch: { tags: ["users"], requestBody: body(ref("UserUpdate")), responses: { ...ok(ref("User")), ...err(401, 403, 404, 409, 422) } },
    delete: { tags: ["users"], responses: { 204: { description: "No Content" }, ...err(401, 403, 404, 409) } },
  },
  "/packages": {
    get: { tags: ["packages"], parameters: [...page, q("includeInactive", { type: "boolean" }), q("q", { type: "string" })], responses: { ...ok(ref("PackageList")), ...err(401) } },
    post: { tags: ["packages"], requestBody: body(ref("PackageIn")), responses: { ...ok(ref("Package"), 201, "Created"), ...err(401, 403, 409, 422) } },
  },
  "/packages/{id}": {
    parameters: [idParam],
    get: { tags: ["packages"], responses: { ...ok(ref("Package")), ...err(401, 404) } },
    patch: { tags: ["packages"], requestBody: body(ref("PackageUpdate")), responses: { ...ok(ref("Package")), ...err(401, 403, 404, 409, 422) } },
    delete: { tags: ["packages"], responses: { 204: { description: "No Content" }, ...err(401, 403, 404, 409) } },
  },
  "/customers": {
    get: { tags: ["customers"], parameters: [...page, q("q", { type: "string" }), q("status", { type: "string" }), q("ownerId", { type: "string" })], responses: { ...ok(ref("CustomerList")), ...err(401) } },
  },
  "/customers/{id}": { parameters: [idParam], get: { tags: ["customers"], responses: { ...ok(ref("Customer")), ...err(401, 404) } } },
  "/dashboard/stats": { get: { tags: ["dashboard"], responses: { ...ok(ref("DashboardStats")), ...err(401) } } },
  "/settings/branding": { get: { tags: ["settings"], security: [], responses: { ...ok(ref("Branding")) } } },
  "/health": { get: { tags: ["health"], security: [], responses: { ...ok(ref("Health")) } } },
};

const doc = {
  openapi: "3.1.0",
  info: { title: "FiberNode Internet API (interim stub)", version: "0.0.0" },
  security: [{ bearerAuth: [] }],
  // flask-smorest blueprints carry the /api prefix, so the real document's paths do too.
  paths: Object.fromEntries(Object.entries(paths).map(([k, v]) => [`/api${k}`, v])),
  components: { schemas, securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
};
writeFileSync(new URL("../openapi.json", import.meta.url), JSON.stringify(doc, null, 2) + "\n");
