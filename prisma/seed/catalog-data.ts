// The two demo shops' catalogs: real-looking items, each with a price that fits it and a line
// of description. SKUs are made from the shop code, the category code and the item's position.

/** name, price in cents, description */
export type CatalogItem = readonly [string, number, string];

export interface DemoCategory {
  name: string;
  code: string;
  items: readonly CatalogItem[];
}

export interface DemoShop {
  sellerId: string;
  code: string;
  /** Daily demand by weekday, Sunday first: when this shop's customers buy. */
  weekdayFactors: readonly number[];
  categories: readonly DemoCategory[];
}

const HOME_CATEGORIES: readonly DemoCategory[] = [
  {
    name: 'Kitchen',
    code: 'KIT',
    items: [
      ['Cast Iron Skillet, 26 cm', 3490, 'Pre-seasoned cast iron that goes from hob to oven to table.'],
      ['Enamelled Dutch Oven, 4.7 l, Cherry Red', 8900, 'Heavy lid keeps stews moist; oven-safe to 250 °C.'],
      ['Gooseneck Pour-Over Kettle, 1 l', 4200, 'Stainless steel with a slow, precise spout for filter coffee.'],
      ['Japanese Santoku Knife, 18 cm', 5900, 'Hammered VG-10 steel blade with a pakkawood handle.'],
      ['End-Grain Walnut Cutting Board', 6400, 'Kind to knife edges; finished with food-safe oil.'],
      ['Silicone Spatula Set of 3', 1290, 'Heat-resistant to 230 °C, seamless and dishwasher-safe.'],
      ['Digital Kitchen Scale, 5 kg', 2490, 'Weighs to the gram, with a tare button and a slim glass top.'],
      ['Stainless Steel Mixing Bowls, Set of 4', 2990, 'Nesting bowls with non-slip bases and pouring lips.'],
      ['Balloon Whisk, 30 cm', 990, 'Eleven sturdy wires for cream, eggs and batters.'],
      ['Ceramic Pie Dish, 24 cm, Sage', 1890, 'Fluted edge, even heat, straight from oven to table.'],
      ['French Press Coffee Maker, 1 l', 3290, 'Double-walled steel keeps eight cups hot for an hour.'],
      ['Linen Apron, Charcoal', 2400, 'Stonewashed linen with a deep front pocket and long ties.'],
    ],
  },
  {
    name: 'Tableware',
    code: 'TAB',
    items: [
      ['Stoneware Dinner Plate, 27 cm, Speckled White', 1450, 'Hand-glazed, microwave- and dishwasher-safe.'],
      ['Stoneware Cereal Bowl, 16 cm, Speckled White', 1150, 'Deep enough for soup, sized for breakfast.'],
      ['Hand-thrown Coffee Mug, 350 ml, Oatmeal Glaze', 1800, 'Thrown on the wheel, so no two are quite alike.'],
      ['Wine Glasses, Set of 4, 450 ml', 3600, 'Lead-free crystal with a thin rim and a sturdy stem.'],
      ['Tumblers, Set of 6, 300 ml', 2200, 'Recycled glass with a faint green tint.'],
      ['Cutlery Set, 24 pieces, Brushed Steel', 7900, 'Service for six in 18/10 stainless steel.'],
      ['Linen Napkins, Set of 4, Natural', 2600, 'Soft washed linen that gets better with every wash.'],
      ['Acacia Serving Board with Handle', 3200, 'For cheese, bread and everything on the side.'],
      ['Glass Water Carafe, 1 l', 1900, 'Borosilicate glass with a cork stopper.'],
      ['Salt and Pepper Mill Set, Oak', 3900, 'Adjustable ceramic grinders from fine to coarse.'],
      ['Enamel Butter Dish, Cream', 1600, 'Keeps a 250 g block soft and covered.'],
      ['Teapot with Infuser, 900 ml', 2900, 'Cast stoneware with a removable steel infuser.'],
    ],
  },
  {
    name: 'Home Office',
    code: 'OFF',
    items: [
      ['Adjustable LED Desk Lamp, Matte Black', 4900, 'Three colour temperatures and a dimmer on the base.'],
      ['Bamboo Monitor Stand with Drawer', 3900, 'Lifts the screen 10 cm and hides the cables.'],
      ['Ergonomic Mesh Office Chair', 22900, 'Adjustable lumbar support, armrests and seat depth.'],
      ['Felt Desk Pad, 80 x 30 cm, Grey', 2200, 'Merino felt that quietens the keyboard and the mouse.'],
      ['A5 Dotted Notebook, Hardcover', 1490, '192 pages of 100 gsm paper that takes fountain pen ink.'],
      ['Fountain Pen, Medium Nib, Navy', 3400, 'Steel nib, converter included, writes from the first stroke.'],
      ['Heavy-Duty Stapler, 40 Sheets', 1990, 'Die-cast body that staples 40 sheets without a fight.'],
      ['Wireless Keyboard, Compact, Oat', 6900, 'Quiet scissor keys, three devices, USB-C charging.'],
      ['Laptop Stand, Aluminium', 4400, 'Folds flat; six heights for a better neck.'],
      ['Cork Pinboard, 60 x 45 cm', 2800, 'Natural cork in an oak frame, with ten brass pins.'],
      ['Desk Organiser, Walnut', 3500, 'Three compartments for pens, cards and a phone.'],
      ['Cable Management Box', 2400, 'Hides a power strip and its tangle of plugs.'],
    ],
  },
  {
    name: 'Bath',
    code: 'BTH',
    items: [
      ['Turkish Cotton Bath Towel, Ivory', 2900, 'Long-staple cotton, 600 gsm, soft from the first use.'],
      ['Waffle Hand Towels, Set of 2, Sage', 1900, 'Light, quick-drying waffle weave.'],
      ['Bamboo Bath Mat, 50 x 80 cm', 2700, 'Slatted bamboo that dries between showers.'],
      ['Glass Soap Dispenser, 350 ml, Amber', 1400, 'Refillable amber glass with a brushed steel pump.'],
      ['Natural Sea Sponge', 1200, 'Soft, absorbent and harvested by hand.'],
      ['Cotton Bathrobe, Size M, White', 5400, 'Cotton terry with a shawl collar and deep pockets.'],
      ['Eucalyptus Shower Steamer, Pack of 6', 1600, 'Essential oil tablets for the shower floor.'],
      ['Linen Shower Curtain, 180 x 200 cm', 4800, 'Washed linen, water-repellent, with steel eyelets.'],
      ['Wooden Bath Caddy', 3900, 'Spans the tub with room for a book and a cup of tea.'],
      ['Olive Oil Bar Soap, Pack of 3', 1100, 'Cold-processed in small batches; no added fragrance.'],
      ['Boar Bristle Hair Brush', 2600, 'Beech handle and natural bristles for everyday brushing.'],
      ['Ceramic Toothbrush Holder, Matte White', 1300, 'Two slots and a weighted base.'],
    ],
  },
  {
    name: 'Lighting',
    code: 'LGT',
    items: [
      ['Rechargeable Table Lamp, Brass', 7900, 'Cordless, dimmable, 12 hours on a charge.'],
      ['Linen Lamp Shade, 40 cm', 3400, 'Natural linen drum shade for E27 fittings.'],
      ['Paper Pendant Lamp, 60 cm', 5900, 'Rice paper over a bamboo frame; soft, even light.'],
      ['LED Filament Bulb E27, Warm White, 4-Pack', 1990, '2,700 K, 806 lm each, dimmable.'],
      ['Beeswax Pillar Candle, 15 cm', 1500, 'Pure beeswax that burns clean for 60 hours.'],
      ['Brass Candle Holders, Set of 3', 3600, 'Three heights in solid brass for dinner candles.'],
      ['Outdoor String Lights, 15 m', 4500, 'Fifteen shatterproof bulbs, rated for rain.'],
      ['Floor Lamp with Marble Base', 14900, 'A slim arc of steel on a white marble base.'],
      ['Wall Sconce, Black Metal, Plug-in', 5400, 'Swivel arm and a fabric cord: no electrician needed.'],
      ['Motion Sensor Night Light, 2-Pack', 2200, 'Lights the hallway at night, off by itself.'],
      ['Smart LED Bulb E27, Colour', 1700, 'Sixteen million colours from a phone app.'],
      ['Tealight Lanterns, Set of 2, Smoked Glass', 2500, 'Smoked glass that throws a warm pattern of light.'],
    ],
  },
  {
    name: 'Pantry',
    code: 'PAN',
    items: [
      ['Glass Storage Jars, Set of 3, 1 l', 2700, 'Airtight bamboo lids for flour, rice and pasta.'],
      ['Single-Origin Coffee Beans, 500 g', 1590, 'Washed Ethiopian, roasted for filter, notes of jasmine.'],
      ['Loose-Leaf Earl Grey, 200 g', 1190, 'Black tea with bergamot oil and cornflower petals.'],
      ['Cold-Pressed Olive Oil, 750 ml', 1790, 'Early-harvest Koroneiki olives from Crete.'],
      ['Flaky Sea Salt, 250 g', 690, 'Pyramid crystals harvested by hand in Cornwall.'],
      ['Wildflower Honey, 450 g', 990, 'Raw and unfiltered, from hives in the Welsh hills.'],
      ['Spice Rack with 12 Jars', 4200, 'Oak rack with glass jars and printed labels.'],
      ['Sourdough Starter Kit', 2400, 'Dried starter, banneton and a step-by-step guide.'],
      ['Bread Bin, Enamel, White', 3900, 'Keeps a loaf fresh for days; the lid doubles as a board.'],
      ['Dark Chocolate Bar, 72%, Pack of 5', 1450, 'Bean-to-bar chocolate from Peruvian cacao.'],
      ['Beeswax Food Wraps, Set of 3', 1600, 'Reusable wraps for cheese, bread and half a lemon.'],
      ['Oat Granola, 750 g', 890, 'Slow-baked oats with almonds and maple syrup.'],
    ],
  },
];

const OUTDOOR_CATEGORIES: readonly DemoCategory[] = [
  {
    name: 'Camping',
    code: 'CMP',
    items: [
      ['Two-Person Backpacking Tent, 1.6 kg', 24900, 'Freestanding, with two doors and a full-coverage fly.'],
      ['Down Sleeping Bag, -5 °C', 18900, '650-fill responsibly sourced down in a mummy cut.'],
      ['Self-Inflating Sleeping Mat, R 4.2', 7900, 'Five centimetres of foam and air for cold ground.'],
      ['Compact Camping Stove', 3900, 'Folds into its own pot; boils a litre in four minutes.'],
      ['Titanium Cook Pot, 900 ml', 4900, 'Weighs 110 g and holds a gas canister inside.'],
      ['LED Camping Lantern, 500 lm', 2900, 'Rechargeable, with a power bank for your phone.'],
      ['Folding Camp Chair', 4400, 'Packs to the size of a water bottle; holds 120 kg.'],
      ['Insulated Water Bottle, 750 ml, Forest', 2900, 'Cold for 24 hours, hot for 12, leak-proof lid.'],
      ['Camping Hammock with Straps', 3900, 'Parachute nylon, tree-friendly straps included.'],
      ['Gas Canister, 230 g', 690, 'Isobutane-propane blend for cold mornings.'],
      ['Water Filter Straw', 2400, 'Filters 4,000 litres of stream water.'],
      ['Enamel Camp Mug, 350 ml', 990, 'Chip-resistant enamel on steel, for coffee by the fire.'],
    ],
  },
  {
    name: 'Hiking',
    code: 'HIK',
    items: [
      ['Daypack, 28 l, Slate Blue', 8900, 'Ventilated back panel, hip belt and a rain cover.'],
      ['Trekking Poles, Carbon, Pair', 9900, 'Three sections, cork grips, 220 g each.'],
      ['Rechargeable Headlamp, 400 lm', 3900, 'Red light mode and a lock for your pack.'],
      ['Trail Running Vest, 12 l', 10900, 'Two soft flasks included and stretch pockets.'],
      ['First Aid Kit, Hiker', 2900, 'Blister care, bandages and a foil blanket in a dry bag.'],
      ['Map Case, Waterproof, A4', 1900, 'Clear window and a neck cord; keeps maps dry.'],
      ['Compass with Mirror Sight', 3400, 'Baseplate compass with declination adjustment.'],
      ['Gaiters, Waterproof, Size M', 3500, 'Keep snow, mud and scree out of your boots.'],
      ['Sit Pad, Foldable', 1400, 'Closed-cell foam for cold rocks at lunch.'],
      ['Emergency Bivvy Bag', 2200, 'Reflective, reusable, the size of a fist when packed.'],
      ['Hydration Bladder, 2 l', 2900, 'Wide opening for cleaning and a bite valve with shut-off.'],
      ['Packable Sun Hat, Khaki', 2800, 'UPF 50+ with a chin cord for windy ridges.'],
    ],
  },
  {
    name: 'Garden',
    code: 'GAR',
    items: [
      ['Stainless Steel Hand Trowel', 1890, 'Ash handle with a leather hanging loop.'],
      ['Bypass Pruning Shears', 2990, 'Sharp steel blades for clean cuts up to 20 mm.'],
      ['Galvanised Watering Can, 9 l', 3900, 'Long spout and a brass rose for seedlings.'],
      ['Garden Kneeler and Seat', 4400, 'Flip it over for a stool; padded for the knees.'],
      ['Raised Bed Kit, Cedar, 120 x 60 cm', 12900, 'Untreated cedar that goes together without tools.'],
      ['Heirloom Tomato Seeds, 5 Varieties', 890, 'From cherry to beefsteak, all open-pollinated.'],
      ['Expanding Garden Hose, 30 m', 3400, 'Triples in length under pressure; nine spray modes.'],
      ['Leather Gardening Gloves, Size M', 2200, 'Goatskin palms that keep thorns out.'],
      ['Compost Bin, 330 l', 5900, 'Recycled plastic with a hatch for the finished compost.'],
      ['Bird Feeder, Copper Roof', 2700, 'Holds a kilo of seed and hangs from a branch.'],
      ['Terracotta Pots, Set of 3', 2500, 'Frost-resistant clay in 15, 20 and 25 cm.'],
      ['Solar Path Lights, 6-Pack', 3200, 'Charge by day, light the path for eight hours at night.'],
    ],
  },
  {
    name: 'Cycling',
    code: 'CYC',
    items: [
      ['Bike Helmet, MIPS, Size M', 8900, 'Rotational impact protection and a rear light clip.'],
      ['Rechargeable Bike Light Set', 4900, '800 lm front, 100 lm rear, USB-C.'],
      ['U-Lock with Cable', 5400, 'Hardened steel shackle, two keys, frame mount.'],
      ['Mini Pump with Gauge', 2900, 'Presta and Schrader, 100 psi, fits a bottle cage.'],
      ['Multi-Tool, 18 Functions', 2400, 'Hex keys, chain tool and spoke keys in one.'],
      ['Padded Cycling Shorts, Size M', 5900, 'Seamless chamois for rides of four hours and more.'],
      ['Waterproof Pannier, 20 l', 7400, 'Roll-top closure and a quick-release rack mount.'],
      ['Inner Tube 700 x 28c, 2-Pack', 1500, 'Presta valves, 60 mm, for road bikes.'],
      ['Chain Lube, Wet Conditions, 120 ml', 990, 'Stays on in rain and mud.'],
      ['Cycling Gloves, Full Finger, Size L', 2900, 'Gel palms and touchscreen fingertips.'],
      ['Bottle Cage, Aluminium', 1200, 'Secure grip on rough roads; 35 g.'],
      ['Saddle Bag, 1 l', 1800, 'Room for a tube, levers and a multi-tool.'],
    ],
  },
  {
    name: 'Apparel',
    code: 'APP',
    items: [
      ['Merino Wool Hiking Socks, Size M', 1900, 'Cushioned sole, no-itch merino, made in Portugal.'],
      ['Waterproof Rain Jacket, Men, M', 14900, 'Three-layer shell with pit zips and a helmet hood.'],
      ['Waterproof Rain Jacket, Women, S', 14900, 'Three-layer shell with pit zips and a helmet hood.'],
      ['Fleece Mid-Layer, Navy, Size L', 6900, 'Grid fleece that breathes on the climb.'],
      ['Merino Base Layer Top, Size M', 7900, '200 gsm merino that does not smell after days on the trail.'],
      ['Insulated Puffer Vest, Olive, Size M', 8900, 'Recycled synthetic fill that stays warm when wet.'],
      ['Convertible Hiking Trousers, Size 32', 7400, 'Zip-off legs and stretch fabric.'],
      ['Ribbed Beanie, Rust', 2400, 'Soft lambswool in a fisherman rib.'],
      ['Neck Gaiter, Merino', 2200, 'Wear it as a scarf, a hat or a face cover.'],
      ['Softshell Gloves, Size M', 3400, 'Wind-resistant, with touchscreen fingertips.'],
      ['Organic Cotton T-Shirt, Trail Logo, Size M', 2900, 'Heavyweight organic cotton, printed in Bristol.'],
      ['Packable Down Jacket, Black, Size M', 17900, '800-fill down that packs into its own pocket.'],
    ],
  },
  {
    name: 'Kids & Games',
    code: 'KID',
    items: [
      ['Wooden Building Blocks, 60 pieces', 3400, 'Beech blocks in natural and painted finishes.'],
      ['Delta Kite, 1.2 m', 2400, 'Ripstop nylon that flies in light winds.'],
      ['1000-Piece Jigsaw: Lake District Map', 2200, 'An illustrated map of the fells, 68 x 48 cm.'],
      ['Family Card Game: Trail Ahead', 1900, 'Race to the summit; for two to six players, age 8+.'],
      ['Kids Binoculars, 8x21', 2900, 'Rubber armour and a breakaway strap.'],
      ['Bug Hunting Kit', 1700, 'Magnifier, net and a viewing box for the garden.'],
      ['Kids Headlamp, Fox', 1500, 'Soft strap and a gentle red mode for tents.'],
      ['Wooden Yo-Yo, Ball Bearing', 990, 'Smooth spin for first tricks and longer sleeps.'],
      ['Junior Camping Chair, Green', 2600, 'Folds flat, with a cup holder in the armrest.'],
      ['Nature Journal for Kids', 1200, 'Prompts, pressed-leaf pockets and a pencil.'],
      ['Glow-in-the-Dark Frisbee', 1300, 'Charges in daylight, flies after dusk.'],
      ['Pocket Microscope, 60-120x', 1900, 'LED-lit for leaves, bugs and salt crystals.'],
    ],
  },
];

/** Office supplies sell on weekdays, home goods at weekends; outdoor gear mostly on Friday to Sunday. */
export const DEMO_SHOPS: readonly DemoShop[] = [
  { sellerId: 'demo-seller-1', code: 'HH', weekdayFactors: [1.35, 0.85, 0.8, 0.85, 0.9, 1.0, 1.5], categories: HOME_CATEGORIES },
  { sellerId: 'demo-seller-2', code: 'TS', weekdayFactors: [1.45, 0.7, 0.7, 0.75, 0.85, 1.15, 1.7], categories: OUTDOOR_CATEGORIES },
];

export const DEMO_SELLERS = DEMO_SHOPS.map((s) => s.sellerId);
