export { type Fault, type FaultMode, type FaultOptions, Faults, type UnknownReply } from './faults.js';
export { type HisSim, type HisSimOptions, startHisSim } from './server.js';
export type { SimAccount, SimRecord, SimReservation, SimSnapshot, SimState } from './state.js';
