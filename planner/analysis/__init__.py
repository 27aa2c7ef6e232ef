"""Analysis of a design: what single failures do, the link schedule, and cost sharing between partners. No Qt."""
