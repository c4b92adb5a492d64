import 'reflect-metadata';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_TIME_SHIFT_DAYS } from './dev-time';

/** Moves time forward by `days` (added to the current shift), or back to real time with `reset`. */
export class TimeShiftRequest {
  @IsOptional() @IsInt() @Min(1) @Max(MAX_TIME_SHIFT_DAYS)
  days?: number;

  @IsOptional() @IsBoolean()
  reset?: boolean;
}
