-- Written by hand: one statement holds stock for a batch of reservation requests of one seller.
-- It locks the named products in ascending id order, takes the requests in the order given, each
-- all-or-nothing against the stock the earlier ones left (a refused request changes nothing), writes
-- every product once, and creates one HELD reservation (with its items) per accepted request.
-- Items: p_request[i] is the 0-based request of item i, items of one request are contiguous and name
-- each product once; p_ttl_seconds[r + 1] is request r's time to live.
-- One row per item: the reservation (null when refused), why the item was refused (NOT_FOUND,
-- INSUFFICIENT_STOCK, or null), the units available before the request, and the product as this
-- request left it (reserved_after, version_after; with the product's other columns after the batch).
CREATE FUNCTION hold_stock(p_seller_id text, p_request int[], p_product_id int[], p_quantity int[], p_ttl_seconds int[])
RETURNS TABLE (
  request int, reservation_id int, expires_at timestamptz, product_id int, refusal text, available_before int,
  reserved_after int, version_after int,
  sku text, name text, description text, price numeric, category text, quantity int, low_stock_threshold int,
  created_at timestamptz, updated_at timestamptz
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  ids int[]; on_hand int[]; held int[]; ver int[]; ver0 int[];
  n_items int := coalesce(array_length(p_product_id, 1), 0);
  n_requests int := coalesce(array_length(p_ttl_seconds, 1), 0);
  out_refusal text[] := array_fill(NULL::text, ARRAY[n_items]);
  out_available int[] := array_fill(NULL::int, ARRAY[n_items]);
  out_reserved int[] := array_fill(NULL::int, ARRAY[n_items]);
  out_version int[] := array_fill(NULL::int, ARRAY[n_items]);
  res_id int[] := array_fill(NULL::int, ARRAY[greatest(n_requests, 1)]);
  res_expires timestamptz[] := array_fill(NULL::timestamptz, ARRAY[greatest(n_requests, 1)]);
  seq text := pg_get_serial_sequence('reservations', 'id');
  t_now timestamptz := now()::timestamptz(3);
  first_item int := 1;
  last_item int;
  pos int;
  ok boolean;
BEGIN
  SELECT coalesce(array_agg(l.id ORDER BY l.id), '{}'), coalesce(array_agg(l.quantity ORDER BY l.id), '{}'),
         coalesce(array_agg(l.reserved ORDER BY l.id), '{}'), coalesce(array_agg(l.version ORDER BY l.id), '{}')
  INTO ids, on_hand, held, ver
  FROM (SELECT p.id, p.quantity, p.reserved, p.version FROM products p
        WHERE p.seller_id = p_seller_id AND p.id = ANY (p_product_id) ORDER BY p.id FOR UPDATE) l;
  ver0 := ver;

  WHILE first_item <= n_items LOOP
    last_item := first_item;
    WHILE last_item < n_items AND p_request[last_item + 1] = p_request[first_item] LOOP last_item := last_item + 1; END LOOP;
    ok := true;
    FOR i IN first_item..last_item LOOP
      pos := array_position(ids, p_product_id[i]);
      IF pos IS NULL THEN
        out_refusal[i] := 'NOT_FOUND'; ok := false;
      ELSE
        out_available[i] := on_hand[pos] - held[pos];
        IF p_quantity[i] > on_hand[pos] - held[pos] THEN out_refusal[i] := 'INSUFFICIENT_STOCK'; ok := false; END IF;
      END IF;
    END LOOP;
    IF ok THEN
      res_id[p_request[first_item] + 1] := nextval(seq);
      res_expires[p_request[first_item] + 1] := (t_now + make_interval(secs => p_ttl_seconds[p_request[first_item] + 1]))::timestamptz(3);
      FOR i IN first_item..last_item LOOP
        pos := array_position(ids, p_product_id[i]);
        held[pos] := held[pos] + p_quantity[i];
        ver[pos] := ver[pos] + 1;
        out_reserved[i] := held[pos];
        out_version[i] := ver[pos];
      END LOOP;
    END IF;
    first_item := last_item + 1;
  END LOOP;

  UPDATE products p SET reserved = v.held, version = v.ver, updated_at = t_now
  FROM unnest(ids, held, ver, ver0) AS v(id, held, ver, ver0)
  WHERE p.id = v.id AND v.ver <> v.ver0;

  INSERT INTO reservations (id, seller_id, status, expires_at, created_at, updated_at)
  SELECT r.id, p_seller_id, 'HELD', r.expires_at, t_now, t_now
  FROM unnest(res_id, res_expires) AS r(id, expires_at) WHERE r.id IS NOT NULL;

  INSERT INTO reservation_items (reservation_id, product_id, quantity)
  SELECT res_id[p_request[i] + 1], p_product_id[i], p_quantity[i]
  FROM generate_series(1, n_items) AS i WHERE res_id[p_request[i] + 1] IS NOT NULL;

  RETURN QUERY
  SELECT p_request[i], res_id[p_request[i] + 1], res_expires[p_request[i] + 1], p_product_id[i], out_refusal[i], out_available[i],
         out_reserved[i], out_version[i],
         p.sku, p.name, p.description, p.price::numeric, p.category, p.quantity, p.low_stock_threshold, p.created_at, p.updated_at
  FROM generate_series(1, n_items) AS i
  LEFT JOIN products p ON p.id = p_product_id[i] AND p.seller_id = p_seller_id
  ORDER BY i;
END
$$;
