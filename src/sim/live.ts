export interface LiveOptions { x?: number }
export interface LiveFleet { stop(): Promise<void> }
export async function startLiveFleet(_o: LiveOptions): Promise<LiveFleet> { return { async stop() {} }; }
