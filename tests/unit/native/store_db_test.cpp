// The SQL layer under the log store (store/Db.h) on both backends: what it promises about values
// (byte-exact blobs, 64-bit integers, reals, NULL), changes(), healthy() and its errors.
#include <cstdint>
#include <limits>
#include <string>

#include "store_test_support.h"

using namespace ccc::store;
using namespace storetest;

namespace
{

class DbLayerTest : public StoreTest
{
protected:
	void SetUp() override
	{
		if (!env.postgres())
			std::filesystem::create_directories(std::filesystem::path(env.dbPath()).parent_path());
		c = env.raw();
		c->execScript(std::string("CREATE TABLE t (id BIGINT, b ") + (env.postgres() ? "BYTEA" : "BLOB") +
			", s TEXT, r " + (env.postgres() ? "DOUBLE PRECISION" : "REAL") + ")");
	}

	std::unique_ptr<DbConnection> c;
};

INSTANTIATE_TEST_SUITE_P(Backends, DbLayerTest, ::testing::ValuesIn(backends()), paramName);

TEST_P(DbLayerTest, BlobsRoundTripByteExact)
{
	std::string all;
	for (int round = 0; round < 300; ++round) // ~75 KB: every byte value, NULs, invalid UTF-8
		for (int b = 0; b < 256; ++b)
			all.push_back(static_cast<char>(b));
	const std::string cases[] = {all, std::string("\0", 1), std::string("\xFF\xFE\0\xC0\x80", 5), "\\x41", ""};
	int64_t id = 0;
	for (const auto & v : cases)
	{
		c->query("INSERT INTO t (id, b) VALUES (?, ?)", {DbValue::integer(++id), DbValue::blob(v)});
		auto rows = c->query("SELECT b FROM t WHERE id = ?", {DbValue::integer(id)});
		ASSERT_EQ(rows.size(), 1u);
		EXPECT_FALSE(rows[0].isNull(0)) << "an empty blob is not NULL";
		EXPECT_EQ(rows[0].str(0).size(), v.size());
		EXPECT_TRUE(rows[0].str(0) == v) << "case " << id;
	}
	// Re-executing the prepared INSERT with other values and kinds keeps them apart.
	c->query("INSERT INTO t (id, b) VALUES (?, ?)", {DbValue::integer(++id), DbValue::null()});
	auto rows = c->query("SELECT b FROM t WHERE id = ?", {DbValue::integer(id)});
	ASSERT_EQ(rows.size(), 1u);
	EXPECT_TRUE(rows[0].isNull(0));
}

TEST_P(DbLayerTest, IntegersRealsTextAndNullRoundTrip)
{
	const int64_t ints[] = {std::numeric_limits<int64_t>::min(), -1, 0, (int64_t(1) << 53) + 1,
		std::numeric_limits<int64_t>::max()};
	for (int64_t v : ints)
		c->query("INSERT INTO t (id, s, r) VALUES (?, ?, ?)",
			{DbValue::integer(v), DbValue::text("h\xC3\xA9llo ? $1 '"), DbValue::real(0.1)});
	auto rows = c->query("SELECT id, s, r, b FROM t ORDER BY id");
	ASSERT_EQ(rows.size(), 5u);
	for (size_t i = 0; i < 5; ++i)
	{
		EXPECT_EQ(rows[i].i64(0), ints[i]);
		EXPECT_EQ(rows[i].str(1), "h\xC3\xA9llo ? $1 '");
		EXPECT_DOUBLE_EQ(rows[i].dbl(2), 0.1);
		EXPECT_TRUE(rows[i].isNull(3));
		EXPECT_EQ(rows[i].i64(3, -7), -7);
	}
	// Aggregates come back as numbers in decimal too.
	auto n = c->query("SELECT COUNT(*), MAX(id) FROM t WHERE id > ?", {DbValue::integer(0)});
	ASSERT_EQ(n.size(), 1u);
	EXPECT_EQ(n[0].i64(0), 2);
	EXPECT_EQ(n[0].i64(1), std::numeric_limits<int64_t>::max());
	// Ten or more parameters ($10 on PostgreSQL).
	std::string sum = "SELECT 0";
	for (int i = 0; i < 11; ++i)
		sum += " + CAST(? AS BIGINT)";
	auto many = c->query(sum,
		{DbValue::integer(1), DbValue::integer(2), DbValue::integer(3), DbValue::integer(4), DbValue::integer(5),
			DbValue::integer(6), DbValue::integer(7), DbValue::integer(8), DbValue::integer(9), DbValue::integer(10),
			DbValue::integer(11)});
	ASSERT_EQ(many.size(), 1u);
	EXPECT_EQ(many[0].i64(0), 66);
}

TEST_P(DbLayerTest, ChangesHealthAndTransactions)
{
	for (int i = 0; i < 3; ++i)
		c->query("INSERT INTO t (id) VALUES (?)", {DbValue::integer(i)});
	EXPECT_EQ(c->changes(), 1);
	c->query("UPDATE t SET s = ? WHERE id >= ?", {DbValue::text("x"), DbValue::integer(1)});
	EXPECT_EQ(c->changes(), 2);
	c->query("SELECT * FROM t");
	EXPECT_EQ(c->changes(), 2) << "a SELECT leaves changes() alone";
	EXPECT_TRUE(c->healthy());
	c->execScript(env.postgres() ? "BEGIN" : "BEGIN IMMEDIATE");
	EXPECT_FALSE(c->healthy()) << "inside a transaction";
	c->query("DELETE FROM t WHERE id = ?", {DbValue::integer(0)});
	c->execScript("ROLLBACK");
	EXPECT_TRUE(c->healthy());
	EXPECT_EQ(c->query("SELECT COUNT(*) FROM t")[0].i64(0), 3);
	c->execScript("BEGIN; DELETE FROM t WHERE id = 0; COMMIT");
	EXPECT_TRUE(c->healthy());
	EXPECT_EQ(c->query("SELECT COUNT(*) FROM t")[0].i64(0), 2);
}

TEST_P(DbLayerTest, ErrorsNameTheBackendAndTheStatementAndLeaveTheConnectionUsable)
{
	try
	{
		c->query("INSERT INTO no_such_table (x) VALUES (?)", {DbValue::integer(1)});
		FAIL() << "no error";
	}
	catch (const StoreError & e)
	{
		std::string what = e.what();
		EXPECT_EQ(what.rfind(env.postgres() ? "postgresql: " : "sqlite: ", 0), 0u) << what;
		EXPECT_NE(what.find("no_such_table"), std::string::npos) << what;
	}
	EXPECT_THROW(c->execScript("CREATE TABLE t (x INTEGER)"), StoreError);
	EXPECT_TRUE(c->healthy());
	c->query("INSERT INTO t (id) VALUES (?)", {DbValue::integer(5)});
	EXPECT_EQ(c->query("SELECT id FROM t")[0].i64(0), 5);
}

} // namespace

namespace
{

TEST_P(DbLayerTest, QueryBatchRunsEveryRowInOrderAndReturnsTheirRows)
{
	std::string bin("\0\xFF\x80 bytes", 9);
	std::vector<DbParams> rows;
	for (int i = 0; i < 50; ++i)
		rows.push_back({DbValue::integer(1000 + i), i % 3 == 0 ? DbValue::null() : DbValue::blob(bin + std::to_string(i)),
			DbValue::text("row " + std::to_string(i)), i % 2 ? DbValue::real(i / 4.0) : DbValue::null()});
	auto ids = c->queryBatch("INSERT INTO t (id, b, s, r) VALUES (?, ?, ?, ?) RETURNING id", rows);
	ASSERT_EQ(ids.size(), rows.size());
	for (size_t i = 0; i < ids.size(); ++i)
		EXPECT_EQ(ids[i].i64(0), 1000 + static_cast<int64_t>(i));
	auto back = c->query("SELECT id, b, s, r FROM t ORDER BY id");
	ASSERT_EQ(back.size(), rows.size());
	for (size_t i = 0; i < back.size(); ++i)
	{
		EXPECT_EQ(back[i].isNull(1), i % 3 == 0);
		if (i % 3)
		{
			EXPECT_TRUE(back[i].str(1) == bin + std::to_string(i));
		}
		EXPECT_EQ(back[i].str(2), "row " + std::to_string(i));
		EXPECT_EQ(back[i].isNull(3), i % 2 == 0);
		if (i % 2)
		{
			EXPECT_DOUBLE_EQ(back[i].dbl(3), static_cast<double>(i) / 4.0);
		}
	}
	// A column with two kinds of values (an empty blob among blobs, text among integers) still works.
	std::vector<DbParams> mixed = {{DbValue::integer(1), DbValue::blob(""), DbValue::text("a")},
		{DbValue::integer(2), DbValue::blob("x"), DbValue::text("b")}};
	c->queryBatch("INSERT INTO t (id, b, s) VALUES (?, ?, ?)", mixed);
	auto m = c->query("SELECT b FROM t WHERE id < ? ORDER BY id", {DbValue::integer(3)});
	ASSERT_EQ(m.size(), 2u);
	EXPECT_FALSE(m[0].isNull(0));
	EXPECT_EQ(m[0].str(0), "");
	EXPECT_EQ(m[1].str(0), "x");
	EXPECT_TRUE(c->queryBatch("DELETE FROM t WHERE id = ?", {}).empty());
}

} // namespace
