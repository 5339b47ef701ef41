/** Placeholder entry point; filled by its own issue. */
export {};
