/** What a table processor needs of the table it reads: whether that table can send old values. */
export interface KTableParent {
  enableSendingOldValues(forceMaterialization: boolean): boolean;
}
