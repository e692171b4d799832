/**
 * Writes tests/fixtures/related-pairs.tsv: the labelled set tests/related.test.ts measures the
 * related-complaints search on. `node scripts/related-pairs.ts` (deterministic: same output each run).
 *
 * Base reports sit at real places in Chiang Mai and Bangkok, two problems of unrelated types per place.
 * Each base gets probes, written the way people type (slang, typos, no spaces, English mixed in):
 * - paraphrase nearby (positive), including one with no pin (subdistrict only);
 * - same place, another problem: a related type in other words, or an unrelated type (negative);
 * - same problem, far away: 2–4 km off, another subdistrict (negative);
 * - same problem, long ago: the probe comes 75 days after the base (negative, outside the window);
 * - near place, similar wording, different problem ("มิเตอร์น้ำ" for "มิเตอร์ไฟ") (negative).
 */
import { writeFileSync } from 'node:fs';

interface Place { name: string; lat: number; lng: number; sub: string; subName: string; district: string }
const PLACES: Place[] = [
  { name: 'ซอย 7 นิมมาน', lat: 18.7985, lng: 98.9672, sub: '500108', subName: 'สุเทพ', district: '5001' },
  { name: 'ประตูท่าแพ', lat: 18.7877, lng: 98.9933, sub: '500104', subName: 'ช้างม่อย', district: '5001' },
  { name: 'สถานีรถไฟเชียงใหม่', lat: 18.7847, lng: 99.0173, sub: '500106', subName: 'วัดเกต', district: '5001' },
  { name: 'ประตูช้างเผือก', lat: 18.7958, lng: 98.9862, sub: '500101', subName: 'ศรีภูมิ', district: '5001' },
  { name: 'ตลาดคำเที่ยง', lat: 18.8098, lng: 99.0058, sub: '500107', subName: 'ช้างเผือก', district: '5001' },
  { name: 'หน้ามอ', lat: 18.8020, lng: 98.9530, sub: '500109', subName: 'สุเทพ', district: '5001' },
  { name: 'เซ็นทรัลแอร์พอร์ต', lat: 18.7672, lng: 98.9753, sub: '500103', subName: 'หายยา', district: '5001' },
  { name: 'สันติธรรม', lat: 18.8030, lng: 98.9780, sub: '500110', subName: 'ช้างเผือก', district: '5001' },
  { name: 'หนองหอย', lat: 18.7700, lng: 99.0090, sub: '500111', subName: 'หนองหอย', district: '5001' },
  { name: 'ป่าตัน', lat: 18.8150, lng: 98.9950, sub: '500112', subName: 'ป่าตัน', district: '5001' },
  { name: 'สีลม ซอย 4', lat: 13.7295, lng: 100.5340, sub: '100403', subName: 'สีลม', district: '1004' },
  { name: 'อารีย์', lat: 13.7797, lng: 100.5446, sub: '101401', subName: 'สามเสนใน', district: '1014' },
  { name: 'ลาดพร้าว 71', lat: 13.8050, lng: 100.6040, sub: '103801', subName: 'ลาดพร้าว', district: '1038' },
  { name: 'อ่อนนุช', lat: 13.7050, lng: 100.6010, sub: '103401', subName: 'สวนหลวง', district: '1034' },
  { name: 'วงเวียนใหญ่', lat: 13.7250, lng: 100.4930, sub: '101502', subName: 'บางยี่เรือ', district: '1015' },
  { name: 'ห้วยขวาง', lat: 13.7766, lng: 100.5740, sub: '101701', subName: 'ห้วยขวาง', district: '1017' },
  { name: 'บางนา', lat: 13.6680, lng: 100.6040, sub: '104701', subName: 'บางนา', district: '1047' },
  { name: 'ตลาดนัดจตุจักร', lat: 13.7999, lng: 100.5500, sub: '103005', subName: 'จตุจักร', district: '1030' },
  { name: 'ทองหล่อ', lat: 13.7320, lng: 100.5800, sub: '103901', subName: 'คลองตันเหนือ', district: '1039' },
  { name: 'ปิ่นเกล้า', lat: 13.7780, lng: 100.4770, sub: '102001', subName: 'อรุณอมรินทร์', district: '1020' },
];

/** Two problems per place, of types that are not related to each other. */
const PAIRS_AT_PLACE: [string, string][] = [
  ['road', 'stray_animals'], ['street_light', 'nuisance'], ['flooding', 'electricity'], ['rubbish', 'water_supply'], ['electricity', 'traffic'],
  ['water_supply', 'nuisance'], ['street_light', 'rubbish'], ['road', 'water_supply'], ['traffic', 'stray_animals'], ['flooding', 'street_light'],
];

const CATEGORY: Record<string, string> = { road: 'help', street_light: 'help', flooding: 'help', rubbish: 'help', water_supply: 'help', electricity: 'help', nuisance: 'help', stray_animals: 'help', traffic: 'tipoff' };

/** Per type: two problems, each a base text and the ways other people report the same thing. `{p}`: the place. */
const TEXTS: Record<string, { base: string; para: string[] }[]> = {
  road: [
    { base: 'ถนนหน้า{p}เป็นหลุมลึกมาก รถจักรยานยนต์ตกหลุมล้มบ่อย ขอให้มาซ่อมด้วยค่ะ', para: ['หลุมบนถนนแถว{p} ใหญ่มาก มอไซค์ตกหลุมล้มไปหลายคันแล้ว', 'ถนนเปนหลุมลึก ตรง{p} รถล้มทุกวัน ซ่อมด่วนๆครับ', 'pothole ใหญ่ถนนหน้า{p} มอไซค์ล้มบ่อยมาก', '{p}ถนนพังเป็นหลุมลึกขับรถลำบากมอเตอร์ไซค์ล้ม'] },
    { base: 'ทางเท้าแถว{p}พังเป็นช่วงๆ อิฐตัวหนอนหลุด คนเดินสะดุดล้ม', para: ['ฟุตบาท{p}อิฐหลุดเดินสะดุดล้มไปหลายคนแล้ว', 'ทางเดินเท้าหน้า{p}พังยับ อิฐหลุดหมด คนแก่เดินลำบาก', 'footpath แถว{p} พังอิฐตัวหนอนหลุด สะดุดล้ม', 'ทางเท้า{p}พังอิฐหลุดเดินไม่ได้เลยค่ะ'] },
  ],
  street_light: [
    { base: 'ไฟถนนดับทั้งซอยแถว{p} มืดมาก กลางคืนเดินกลับบ้านไม่กล้า', para: ['ไฟทางดับมืดทั้งซอย {p} กลัวโจรค่ะ', 'เสาไฟส่องสว่างแถว{p}ดับหมดเลย มืดตึ๊บ', 'ไฟถนนดับ{p}มืดมากตอนกลางคืน', 'street light ดับ ซอยมืดแถว{p} เดินกลับบ้านกลัว'] },
    { base: 'ไฟส่องสว่างหน้า{p}กะพริบติดๆดับๆ มาเป็นอาทิตย์แล้ว', para: ['ไฟทาง{p}กระพริบติดๆดับๆทั้งคืน', 'หลอดไฟถนนหน้า{p}กระพิบ ติดบ้างดับบ้าง', 'ไฟถนนตรง{p} กะพริบทั้งคืน น่าจะหลอดเสีย', 'lamp post หน้า{p} ไฟกะพริบ ติดๆดับๆ'] },
  ],
  flooding: [
    { base: 'ฝนตกทีไรน้ำท่วมขังถนนหน้า{p} ท่อระบายน้ำอุดตัน น้ำไม่ลง', para: ['น้ำท่วมขัง{p}ทุกครั้งที่ฝนตก ท่อตันน้ำระบายไม่ทัน', 'ท่อระบายน้ำแถว{p}ตัน ฝนตกนิดเดียวน้ำท่วมถนน', 'น้ำรอระบายหน้า{p} ท่อตันมาก ฝนตกท่วมทุกที', 'flood หน้า{p} ท่อระบายน้ำอุดตัน น้ำขังถนน'] },
    { base: 'ฝาท่อระบายน้ำหน้า{p}หาย เป็นรูเปิดอยู่กลางทาง น้ำขังอันตรายมาก', para: ['ฝาท่อหาย{p} เป็นรูโหว่ ใครเดินตกท่อแน่', 'ฝาท่อระบายน้ำตรง{p}หายไป น้ำขังมองไม่เห็นรู', 'ท่อระบายน้ำ{p}ไม่มีฝาปิด อันตรายมากครับ', 'ฝาท่อหายหน้า{p}เป็นหลุมดำ น้ำขังเต็ม'] },
  ],
  rubbish: [
    { base: 'ขยะกองหน้า{p} ไม่มีรถมาเก็บเป็นอาทิตย์แล้ว ส่งกลิ่นเหม็น', para: ['รถขยะไม่มาเก็บ{p}หลายวัน ขยะล้นถัง', 'ขยะเกลื่อนแถว{p} ไม่มีใครเก็บ เหม็นมาก', 'ขยะล้นถังหน้า{p} รถเก็บขยะไม่มาเลย', 'garbage ไม่มีคนเก็บ {p} กองสูงเหม็น'] },
    { base: 'มีคนแอบเอาขยะมาทิ้งที่ที่ดินว่างข้าง{p} ทุกคืน', para: ['ลักลอบทิ้งขยะที่ดินว่างข้าง{p}ตอนกลางคืน', 'คนมาแอบทิ้งขยะข้าง{p} ทุกคืนเลย กองเป็นภูเขา', 'ที่ว่างข้าง{p}กลายเป็นที่ทิ้งขยะ มีคนแอบทิ้ง', 'แอบทิ้งขยะ ที่ดินเปล่าข้าง{p} ทุกคืน'] },
  ],
  water_supply: [
    { base: 'น้ำประปาไม่ไหลมาสามวันแล้ว บ้านแถว{p}ไม่มีน้ำใช้เลย', para: ['ประปาไม่ไหล{p} 3 วันแล้วค่ะ ไม่มีน้ำอาบ', 'น้ำไม่ไหลทั้งซอยแถว{p} ตั้งแต่วันจันทร์', 'น้ำปะปาไม่ไหลเลย {p} ไม่มีน้ำใช้', 'no water ประปาไม่ไหล แถว{p} หลายวันแล้ว'] },
    { base: 'ท่อประปาแตกหน้า{p} น้ำพุ่งไหลทิ้งทั้งวัน', para: ['ท่อน้ำประปาแตก{p} น้ำไหลนองถนน', 'ท่อประปารั่วหน้า{p} น้ำพุ่งเสียดายน้ำ', 'ท่อแตกน้ำพุ่งหน้า{p}มาสองวันแล้ว', 'pipe แตก น้ำประปาพุ่ง หน้า{p}'] },
  ],
  electricity: [
    { base: 'ไฟฟ้าดับบ่อยมากแถว{p} วันละหลายรอบ ตู้เย็นเสียแล้ว', para: ['ไฟดับบ่อย{p} วันละสามสี่รอบ เครื่องใช้ไฟฟ้าพัง', 'ไฟฟ้าดับๆติดๆ แถว{p} ทั้งวัน', 'ไฟดับทั้งซอย{p}บ่อยมาก ตู้เย็นพัง', 'power cut บ่อยมาก ไฟดับ แถว{p}'] },
    { base: 'สายไฟหย่อนลงมาต่ำมากหน้า{p} รถสูงเกี่ยวสายไฟ', para: ['สายไฟห้อยต่ำ{p} รถบรรทุกเกี่ยวขาด', 'สายไฟฟ้าหย่อนหน้า{p} เกือบถึงหัวคนเดิน', 'สายไฟย้อยลงมา หน้า{p} อันตราย', 'สายไฟหย่อนต่ำมากตรง{p} รถสูงผ่านไม่ได้'] },
  ],
  nuisance: [
    { base: 'ร้านเหล้าหน้า{p}เปิดเพลงเสียงดังถึงตีสามทุกคืน นอนไม่ได้', para: ['ผับแถว{p}เปิดเพลงดังทั้งคืน นอนไม่หลับ', 'เสียงเพลงดังจากร้านเหล้า{p} ถึงตีสาม', 'ร้านเหล้าเสียงดังมาก {p} ทุกคืนเลย นอนไม่ได้', 'loud music ร้านเหล้า{p} ดังถึงตีสาม'] },
    { base: 'มีคนเผาขยะหลังบ้านแถว{p} ควันเหม็นเข้าบ้านทุกเย็น', para: ['เผาขยะควันเต็มบ้าน{p} ทุกเย็น หายใจไม่ออก', 'ควันจากการเผาขยะแถว{p} เหม็นมาก', 'เพื่อนบ้าน{p}เผาขยะ ควันเข้าบ้านทุกวัน', 'smoke เผาขยะ {p} เหม็นควันทุกเย็น'] },
  ],
  stray_animals: [
    { base: 'หมาจรจัดฝูงใหญ่แถว{p} ไล่กัดคนเดินผ่าน เด็กโดนกัดแล้ว', para: ['สุนัขจรจัดไล่กัดคน{p} เด็กโดนกัด', 'หมาจรเยอะมากแถว{p} ไล่กัดคนเดิน', 'ฝูงหมาจรจัด{p}กัดเด็กนักเรียน', 'stray dogs ไล่กัด แถว{p} หมาจรเยอะ'] },
    { base: 'เจองูเห่าเข้าบ้านแถว{p} หลายครั้ง ขอให้มาจับ', para: ['งูเห่าเข้าบ้าน{p} บ่อยมาก มาจับให้หน่อย', 'มีงูเลื้อยเข้าบ้านแถว{p} กลัวมาก', 'งูเข้าบ้านอีกแล้ว{p} งูเห่าตัวใหญ่', 'cobra งูเห่าเข้าบ้าน {p} ช่วยจับ'] },
  ],
  traffic: [
    { base: 'รถจอดกีดขวางหน้า{p} สองข้างทาง รถติดยาว', para: ['จอดรถซ้อนคันหน้า{p} รถติดมาก', 'รถจอดขวางทาง{p} ทั้งสองฝั่ง รถวิ่งไม่ได้', 'มีคนจอดรถกีดขวางหน้า{p}ทุกวัน รถติด', 'illegal parking หน้า{p} รถติดยาว'] },
    { base: 'สัญญาณไฟจราจรแยก{p}เสีย ไฟไม่ติด รถชนกันเกือบทุกวัน', para: ['ไฟแดงแยก{p}เสีย รถเกือบชนกัน', 'ไฟจราจรแยก{p}ดับ ไม่มีตำรวจมาโบก', 'สัญญาณไฟแยก{p} ไม่ทำงาน อันตราย', 'traffic light เสีย แยก{p} รถชน'] },
  ],
};

/** Same-ish words, another unrelated problem (the type gate must keep it out). */
const LOOKALIKE: Record<string, { type: string; text: string }[]> = {
  road: [{ type: 'stray_animals', text: 'หมาจรจัดนอนกลางถนนหน้า{p} มอไซค์ล้มบ่อย' }, { type: 'welfare', text: 'ยายแก่เดินข้ามถนนหน้า{p} ล้มบ่อย ไม่มีคนดูแล' }],
  street_light: [{ type: 'traffic', text: 'ไฟจราจรดับทั้งแยกแถว{p} มืดมาก' }, { type: 'consumer', text: 'ซื้อหลอดไฟจากร้านแถว{p} ดับภายในวันเดียว ร้านไม่ยอมเปลี่ยน' }],
  flooding: [{ type: 'nuisance', text: 'น้ำเสียจากร้านอาหารหน้า{p}ไหลลงท่อ ส่งกลิ่นเหม็น' }, { type: 'consumer', text: 'ซื้อปั๊มน้ำร้านแถว{p} ใช้ได้วันเดียวพัง ร้านไม่รับคืน' }],
  rubbish: [{ type: 'stray_animals', text: 'หมาจรจัดคุ้ยกองขยะหน้า{p} กัดคน' }, { type: 'consumer', text: 'ร้านค้าหน้า{p}ขายของหมดอายุ เหม็นเน่า ไม่ยอมคืนเงิน' }],
  water_supply: [{ type: 'electricity', text: 'มิเตอร์ไฟฟ้าแถว{p}เสีย ไฟไม่ไหลมาสามวันแล้ว' }, { type: 'consumer', text: 'ซื้อเครื่องกรองน้ำจากร้านแถว{p} น้ำไม่ไหล ร้านไม่ยอมคืนเงิน' }],
  electricity: [{ type: 'water_supply', text: 'น้ำประปาดับบ่อยมากแถว{p} วันละหลายรอบ' }, { type: 'consumer', text: 'ซื้อพัดลมร้านแถว{p} เสียบไฟแล้วไฟดับ ร้านไม่รับเปลี่ยน' }],
  nuisance: [{ type: 'traffic', text: 'รถแข่งเสียงดังหน้า{p}ถึงตีสามทุกคืน' }, { type: 'welfare', text: 'เด็กร้องไห้เสียงดังทุกคืนแถว{p} สงสัยถูกทำร้าย' }],
  stray_animals: [{ type: 'nuisance', text: 'หมาบ้านข้างๆ{p}เห่าเสียงดังทั้งคืน นอนไม่ได้' }, { type: 'consumer', text: 'ซื้อลูกหมาจากร้านแถว{p} ป่วยตายในสามวัน ร้านไม่รับผิดชอบ' }],
  traffic: [{ type: 'nuisance', text: 'รถจอดติดเครื่องหน้า{p} ควันดำเหม็นเข้าบ้าน' }, { type: 'consumer', text: 'จอดรถที่ลานจอดหน้า{p} โดนเก็บค่าจอดแพงเกินป้าย' }],
};

/** Another problem at the same place, in other words: a related type where one exists. */
const OTHER_HERE: Record<string, { type: string; text: string } | undefined> = {
  road: { type: 'flooding', text: 'ฝนตกน้ำเอ่อล้นท่อเข้าบ้านแถว{p}' },
  street_light: { type: 'electricity', text: 'หม้อแปลงไฟฟ้าระเบิดเสียงดังแถว{p}' },
  flooding: { type: 'rubbish', text: 'ถังขยะหน้า{p}ล้น ไม่มีใครมาเก็บ' },
  rubbish: { type: 'flooding', text: 'คลองหลัง{p}ตื้นเขิน ผักตบชวาเต็มคลอง' },
  water_supply: { type: 'flooding', text: 'ฝนตกหนักน้ำเอ่อเข้าบ้านแถว{p}' },
  electricity: { type: 'street_light', text: 'เสาไฟส่องสว่างหน้า{p}เอียงจะล้ม' },
  nuisance: { type: 'rubbish', text: 'ถังขยะหน้า{p}ไม่มีฝาปิด แมวคุ้ย' },
  stray_animals: { type: 'road', text: 'ถนนหน้า{p}ทรุดเป็นแอ่ง' },
  traffic: { type: 'road', text: 'เส้นจราจรหน้า{p}ลบเลือนมองไม่เห็น' },
};

/** When the usual other problem is of the other base's type (or related to it): one nobody confuses. */
const OTHER_FALLBACK = [
  { type: 'welfare', text: 'ยายอยู่คนเดียวแถว{p} ป่วยติดเตียง ไม่มีคนดูแล' },
  { type: 'consumer', text: 'ร้านค้าหน้า{p}ขายของหมดอายุ ไม่ยอมคืนเงิน' },
];

/** Mirrors shared/related/types.ts: which problem types count as related. */
const RELATED = new Set(['flooding|rubbish', 'street_light|electricity', 'road|flooding', 'road|state_project', 'flooding|water_supply', 'nuisance|rubbish', 'traffic|road', 'safety_drugs|nuisance', 'land|road']);
const near = (a: string, b: string) => a === b || RELATED.has(`${a}|${b}`) || RELATED.has(`${b}|${a}`);

let seed = 20261204;
const rnd = () => { seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
/** A point `m` metres from (lat,lng) in a random direction. */
const offset = (lat: number, lng: number, m: number) => {
  const a = rnd() * 2 * Math.PI;
  return { lat: +(lat + (m * Math.cos(a)) / 111_320).toFixed(6), lng: +(lng + (m * Math.sin(a)) / (111_320 * Math.cos((lat * Math.PI) / 180))).toFixed(6) };
};

const rows: string[][] = [['kind', 'id', 'base', 'label', 'why', 'problemType', 'category', 'lat', 'lng', 'subdistrict', 'subdistrictName', 'district', 'day', 'description']];
let probeNo = 0;
PLACES.forEach((pl, i) => {
  const [t1, t2] = PAIRS_AT_PLACE[i % PAIRS_AT_PLACE.length]!;
  [t1, t2].forEach((type, j) => {
    const variant = TEXTS[type]![(i + j) % 2]!;
    const baseId = `B${String(i * 2 + j + 1).padStart(2, '0')}`;
    const at = offset(pl.lat, pl.lng, 30 + rnd() * 80);
    const day = 10 + Math.floor(rnd() * 20);
    const put = (label: number, why: string, ptype: string, p: { lat: number | ''; lng: number | '' }, sub: string, subName: string, d: number, text: string) => {
      probeNo++;
      rows.push(['probe', `P${String(probeNo).padStart(3, '0')}`, baseId, String(label), why, ptype, CATEGORY[ptype]!, String(p.lat), String(p.lng), sub, subName, pl.district, String(d), text.replaceAll('{p}', pl.name)]);
    };
    rows.push(['base', baseId, '', '', '', type, CATEGORY[type]!, String(at.lat), String(at.lng), pl.sub, pl.subName, pl.district, String(day), variant.base.replaceAll('{p}', pl.name)]);
    const paras = variant.para;
    put(1, 'paraphrase_near', type, offset(at.lat, at.lng, 40 + rnd() * 300), pl.sub, pl.subName, day + 1 + Math.floor(rnd() * 10), paras[0]!);
    put(1, 'paraphrase_near', type, offset(at.lat, at.lng, 40 + rnd() * 300), pl.sub, pl.subName, day + 1 + Math.floor(rnd() * 20), paras[1]!);
    put(1, 'paraphrase_near', type, offset(at.lat, at.lng, 100 + rnd() * 350), pl.sub, pl.subName, day + 2 + Math.floor(rnd() * 30), paras[3]!);
    put(1, 'paraphrase_no_pin', type, { lat: '', lng: '' }, pl.sub, pl.subName, day + 1 + Math.floor(rnd() * 10), paras[2]!);
    const partner = j === 0 ? t2 : t1;
    const other = [OTHER_HERE[type]!, ...OTHER_FALLBACK].find((o) => !near(o.type, partner))!;
    put(0, 'same_place_other_problem', other.type, offset(at.lat, at.lng, 20 + rnd() * 150), pl.sub, pl.subName, day + 3, other.text);
    // Far: 2–4 km off, and nowhere near a base of this or a related type at another place.
    let far = offset(at.lat, at.lng, 2_000 + rnd() * 2_000);
    const clash = (p: { lat: number; lng: number }) => PLACES.some((q, k) => PAIRS_AT_PLACE[k % PAIRS_AT_PLACE.length]!.some((t) => near(t, type))
      && Math.hypot((q.lat - p.lat) * 111_320, (q.lng - p.lng) * 111_320 * Math.cos((q.lat * Math.PI) / 180)) < 1_200);
    for (let k = 0; k < 50 && clash(far); k++) far = offset(at.lat, at.lng, 2_000 + rnd() * 2_000);
    put(0, 'same_problem_far', type, far, `${pl.sub}9`, 'ไกลออกไป', day + 2, paras[1]!);
    put(0, 'same_problem_long_ago', type, offset(at.lat, at.lng, 40 + rnd() * 200), pl.sub, pl.subName, day + 75, paras[0]!);
    const look = LOOKALIKE[type]!.find((o) => !near(o.type, partner) && !near(o.type, type))!;
    put(0, 'similar_words_other_problem', look.type, offset(at.lat, at.lng, 30 + rnd() * 200), pl.sub, pl.subName, day + 2, look.text);
  });
});

const out = new URL('../tests/fixtures/related-pairs.tsv', import.meta.url);
writeFileSync(out, `${rows.map((r) => r.join('\t')).join('\n')}\n`);
console.log(`${rows.length - 1} rows (${probeNo} probes) → ${out.pathname}`);
