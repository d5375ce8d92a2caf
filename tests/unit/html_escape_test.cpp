#include "common/html_escape.h"

#include <catch2/catch.hpp>

TEST_CASE("htmlEscape: markup from outside cannot reach the page as markup", "[html_escape]") {
  CHECK(wpe::htmlEscape("<script>alert(\"x\")</script> & 'y'") ==
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
  CHECK(wpe::htmlEscape("plain text, é") == "plain text, é");
}
