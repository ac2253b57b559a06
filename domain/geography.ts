/**
 * The five Local Health and Care Record Exemplars (2018) and their 14 STPs.
 *
 * STP codes are the ONS April 2020 codes used by the LSOA lookup and the GeoJSON in
 * `data-samples/`; `qCode` is the NHS ODS code, the stable key of the real monthly A&E series.
 * Source: shared reference-data nhs-activity/lhcre_region_stp_mapping.csv and
 * geography/lookup_lsoa11_ccg21_stp21_england.csv (Open Government Licence v3.0).
 */
export const REGIONS = [
  { code: 'greater-manchester', name: 'Greater Manchester' },
  { code: 'wessex', name: 'Wessex' },
  { code: 'one-london', name: 'One London' },
  { code: 'yorkshire-humber', name: 'Yorkshire and the Humber' },
  { code: 'thames-valley-surrey', name: 'Thames Valley and Surrey' },
] as const;

export type RegionCode = (typeof REGIONS)[number]['code'];

export interface Stp {
  code: string;
  qCode: string;
  name: string;
  region: RegionCode;
}

export const STPS: readonly Stp[] = [
  { code: 'E54000007', qCode: 'QOP', name: 'Greater Manchester', region: 'greater-manchester' },
  { code: 'E54000042', qCode: 'QRL', name: 'Hampshire and the Isle of Wight', region: 'wessex' },
  { code: 'E54000041', qCode: 'QVV', name: 'Dorset', region: 'wessex' },
  { code: 'E54000027', qCode: 'QRV', name: 'North West London', region: 'one-london' },
  { code: 'E54000028', qCode: 'QMJ', name: 'North Central London', region: 'one-london' },
  { code: 'E54000029', qCode: 'QMF', name: 'North East London', region: 'one-london' },
  { code: 'E54000030', qCode: 'QKK', name: 'South East London', region: 'one-london' },
  { code: 'E54000031', qCode: 'QWE', name: 'South West London', region: 'one-london' },
  { code: 'E54000054', qCode: 'QWO', name: 'West Yorkshire and Harrogate', region: 'yorkshire-humber' },
  { code: 'E54000009', qCode: 'QF7', name: 'South Yorkshire and Bassetlaw', region: 'yorkshire-humber' },
  { code: 'E54000051', qCode: 'QOQ', name: 'Humber, Coast and Vale', region: 'yorkshire-humber' },
  { code: 'E54000044', qCode: 'QU9', name: 'Buckinghamshire, Oxfordshire and Berkshire West', region: 'thames-valley-surrey' },
  { code: 'E54000034', qCode: 'QNQ', name: 'Frimley Health', region: 'thames-valley-surrey' },
  { code: 'E54000052', qCode: 'QXU', name: 'Surrey Heartlands', region: 'thames-valley-surrey' },
];

const regionByName = new Map<string, RegionCode>(REGIONS.map((r) => [r.name, r.code]));

/** Region code for the `lhcre_region` text used in the reference lookups. */
export function regionCodeFromName(name: string): RegionCode | undefined {
  return regionByName.get(name);
}

export function stpsOfRegion(region: RegionCode): Stp[] {
  return STPS.filter((s) => s.region === region);
}
