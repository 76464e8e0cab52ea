/**
 * Domain types derived from the generated schema by endpoint (not by component name), so they
 * survive the backend renaming its marshmallow schemas.
 */
import type { paths } from "./api-schema";

type Json<R> = R extends { content: { "application/json": infer T } } ? T : never;
type Ok<Op> = Op extends { responses: infer R }
  ? R extends { 200: infer A }
    ? Json<A>
    : R extends { 201: infer B }
      ? Json<B>
      : never
  : never;
type Body<Op> = Op extends { requestBody?: infer B } ? Json<NonNullable<B>> : never;
type Query<Op> = Op extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export type User = Ok<paths["/api/auth/me"]["get"]>;
export type Role = User["role"];
export type MeUpdate = Body<paths["/api/auth/me"]["patch"]>;
export type UserList = Ok<paths["/api/users"]["get"]>;
export type UserQuery = Query<paths["/api/users"]["get"]>;
export type UserCreate = Body<paths["/api/users"]["post"]>;
export type UserUpdate = Body<paths["/api/users/{id}"]["patch"]>;

export type Package = Ok<paths["/api/packages/{id}"]["get"]>;
export type PackageList = Ok<paths["/api/packages"]["get"]>;
export type PackageQuery = Query<paths["/api/packages"]["get"]>;
export type PackageCreate = Body<paths["/api/packages"]["post"]>;
export type PackageUpdate = Body<paths["/api/packages/{id}"]["patch"]>;

export type DashboardStats = Ok<paths["/api/dashboard/stats"]["get"]>;
export type Branding = Ok<paths["/api/settings/branding"]["get"]>;
