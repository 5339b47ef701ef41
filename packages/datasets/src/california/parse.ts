import { DataError } from '@chainrule/autograd';

/** Column order of the StatLib file `cal_housing.data` (one block group per line, no header). */
export const rawColumns = [
  'longitude',
  'latitude',
  'housingMedianAge',
  'totalRooms',
  'totalBedrooms',
  'population',
  'households',
  'medianIncome',
  'medianHouseValue',
] as const;

/** scikit-learn's feature names, in its order. */
export const featureNames = [
  'MedInc',
  'HouseAge',
  'AveRooms',
  'AveBedrms',
  'Population',
  'AveOccup',
  'Latitude',
  'Longitude',
] as const;

/** The feature matrix and target, row-major float64. */
export interface CaliforniaFrame {
  readonly rows: number;
  /** [rows, 8] in `featureNames` order. */
  readonly features: Float64Array;
  /** Median house value in units of $100,000. */
  readonly target: Float64Array;
}

/**
 * Builds scikit-learn's California frame from the text of `cal_housing.data`: per line nine comma-separated
 * numbers (`rawColumns`); AveRooms = totalRooms / households, AveBedrms = totalBedrooms / households,
 * AveOccup = population / households, target = medianHouseValue / 100000. Blank lines are skipped; any other
 * malformed line is a DataError naming `source` and the line number.
 */
export function parseCalHousing(text: string, source: string): CaliforniaFrame {
  const lines = text.split('\n');
  const features: number[] = [];
  const target: number[] = [];
  const raw = new Float64Array(rawColumns.length);
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const fail = (problem: string): never => {
      throw new DataError(
        `${source} line ${index + 1}`,
        problem,
        'each line must hold 9 comma-separated numbers (longitude, ..., medianHouseValue); fetch the file again',
      );
    };
    const fields = line.split(',');
    if (fields.length !== rawColumns.length)
      fail(`expected ${rawColumns.length} fields, found ${fields.length}`);
    fields.forEach((field, k) => {
      const value = field.trim() === '' ? NaN : Number(field);
      if (!Number.isFinite(value)) fail(`${rawColumns[k]} is '${field.trim()}', not a number`);
      raw[k] = value;
    });
    const [longitude, latitude, age, rooms, bedrooms, population, households, income, value] = raw;
    if (households <= 0)
      fail(`households is ${households}; the averages per household need a positive count`);
    features.push(
      income,
      age,
      rooms / households,
      bedrooms / households,
      population,
      population / households,
      latitude,
      longitude,
    );
    target.push(value / 100000);
  });
  if (target.length === 0) throw new DataError(source, 'holds no data rows', 'fetch the file again');
  return { rows: target.length, features: Float64Array.from(features), target: Float64Array.from(target) };
}
