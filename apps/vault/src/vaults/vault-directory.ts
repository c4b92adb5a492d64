import { Injectable } from '@nestjs/common';
import { vaultNotFound } from '@coffer/contracts';
import { ReadModel, VaultRow } from '@coffer/read-model';

/** Looks vaults up in the read model; requests about an unknown vault fail with VaultNotFound. */
@Injectable()
export class VaultDirectory {
  constructor(private readonly readModel: ReadModel) {}

  async require(vault: string): Promise<VaultRow> {
    const row = await this.readModel.getVault(vault);
    if (!row) throw vaultNotFound(vault);
    return row;
  }
}
