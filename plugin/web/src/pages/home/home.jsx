import { useLocation } from 'preact-iso';
import { useEffect } from 'preact/hooks';
import { useSession } from '../../session.jsx';
import { Loading } from '../../ui/components.jsx';
import { menus } from '../../ui/layout.jsx';

/** No page of its own: the first menu entry of the account's role. */
export default function Home() {
  const { me } = useSession();
  const { route } = useLocation();
  useEffect(() => {
    const first = me && menus[me.role]?.[0]?.[0];
    if (first) route(first, true);
  }, [me]);
  return <Loading />;
}
