import { graphql } from './generated';

export const ViewerQuery = graphql(`
  query DashboardViewer {
    viewer { id productCount }
    stockByCategory { category productCount units available lowStockCount }
  }
`);

export const ProductsQuery = graphql(`
  query DashboardProducts($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilter) {
    products(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      nodes { id sku name category price quantity reserved available lowStockThreshold isLowStock }
    }
  }
`);

export const ChartsQuery = graphql(`
  query DashboardCharts($minutes: Int!) {
    stockByCategory { category productCount units available lowStockCount }
    sellerMetrics { eventsPerMinute(minutes: $minutes) { minute count } }
  }
`);

export const RecentEventsQuery = graphql(`
  query DashboardRecentEvents($last: Int!) {
    events(last: $last) { nodes { ...FeedEvent } }
  }
`);

export const FeedEventFragment = graphql(`
  fragment FeedEvent on Event {
    __typename cursor sequence eventType timestamp productId
    ... on ProductCreated { product { name quantity } }
    ... on ProductUpdated { product { name quantity reserved } changes { name price quantity reserved category lowStockThreshold } }
    ... on ProductDeleted { product { name } }
    ... on LowStockWarning { currentQuantity threshold }
  }
`);

export const EventsSubscription = graphql(`
  subscription DashboardEvents($after: String) {
    productEvents(after: $after) { ...FeedEvent }
  }
`);

export const StockLevelsSubscription = graphql(`
  subscription DashboardStockLevels($ids: [ID!]) {
    stockLevels(productIds: $ids) { productId quantity reserved available isLowStock updatedAt }
  }
`);

export const JobProgressSubscription = graphql(`
  subscription DashboardJobProgress($id: ID!) {
    jobProgress(id: $id) { id kind state progress processedRows totalRows succeededRows failedRows downloadUrl error }
  }
`);

export const JobRowErrorsQuery = graphql(`
  query DashboardJobRowErrors($id: ID!) {
    job(id: $id) { id rowErrors(first: 200) { row field message } }
  }
`);

export const ExportMutation = graphql(`
  mutation DashboardExport {
    exportProducts { job { id } userErrors { message } }
  }
`);

export const OrdersQuery = graphql(`
  query DashboardOrders {
    orders(first: 10) {
      nodes { id number status total paymentStatus amountPaid amountRefunded customer { email } }
    }
  }
`);

export const StockoutRisksQuery = graphql(`
  query DashboardStockoutRisks($horizonDays: Int, $first: Int) {
    stockoutRisks(horizonDays: $horizonDays, first: $first) {
      product { id name available }
      forecast { method dailyDemand daysUntilStockout stockoutDate suggestedReorderQuantity computedAt }
    }
  }
`);

export const OrderCheckoutQuery = graphql(`
  query DashboardOrderCheckout($id: ID!) {
    order(id: $id) {
      id
      number
      payments { id amount currency status provider failureCode createdAt refunds { id amount reason createdAt } }
      notifications { id channel template recipient status attempts lastError sentAt }
    }
  }
`);

export const ProductInsightQuery = graphql(`
  query DashboardProductInsight($id: ID!) {
    product(id: $id) {
      id
      name
      available
      stockForecast {
        method dailyDemand dailyDemandLow dailyDemandHigh daysUntilStockout stockoutDate suggestedReorderQuantity historyDays computedAt
      }
      similar: recommendations(kind: SIMILAR, first: 5) { product { id name } score reason }
      together: recommendations(kind: BOUGHT_TOGETHER, first: 5) { product { id name } score reason }
    }
  }
`);
