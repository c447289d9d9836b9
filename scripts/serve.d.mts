import type { Server } from "node:http";
export function serve(root: string, port?: number, host?: string): Promise<{ server: Server; url: string }>;
export function headerPolicy(html: string): string;
export function negotiate(acceptEncoding: string | undefined): "br" | "gzip" | null;
